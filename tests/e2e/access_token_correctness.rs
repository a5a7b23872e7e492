//! `launchdarkly_access_token` as a demanding user finds it (issue 12): rotation semantics,
//! v2 compatibility, secret drift, custom role checks at plan time, and the texts users read.
//! Each scenario ends with the server's tokens equal to the state's and a clean plan.

use crate::support::*;

pub fn tf(resources: &str) -> String {
    format!("{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\n{resources}\n")
}

pub fn token_of(lab: &Lab, name: &str) -> String {
    lab.state()[&format!("launchdarkly_access_token.{name}")]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Diagnostics of `terraform <args> -json` (validate prints one document, plan/apply lines).
pub fn json_diagnostics(wd: &Workdir, args: &[&str]) -> (bool, Vec<serde_json::Value>) {
    let o = wd.run(args);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    let mut diags = vec![];
    if let Ok(j) = serde_json::from_str::<serde_json::Value>(&out) {
        diags.extend(j["diagnostics"].as_array().cloned().unwrap_or_default());
    } else {
        for line in out.lines() {
            if let Ok(j) = serde_json::from_str::<serde_json::Value>(line) {
                if j["type"] == "diagnostic" {
                    diags.push(j["diagnostic"].clone());
                }
            }
        }
    }
    (o.status.success(), diags)
}

pub fn find<'a>(diags: &'a [serde_json::Value], summary: &str) -> Vec<&'a serde_json::Value> {
    diags.iter().filter(|d| d["summary"] == summary).collect()
}

pub fn snippet(d: &serde_json::Value) -> &str {
    d["snippet"]["code"].as_str().unwrap_or_default()
}

/// Item 2: `{}` and null mean "no triggers" in every transition; only a change between two
/// non-empty maps rotates.
#[test]
fn empty_rotation_triggers_mean_none_in_every_transition() {
    // (name, before, after, rotates)
    let cases: &[(&str, &str, &str, bool)] = &[
        ("null_to_empty", "null", "{}", false),
        ("empty_to_null", "{}", "null", false),
        ("empty_to_empty", "{}", "{}", false),
        ("empty_to_some", "{}", "{ team = \"payments\" }", false),
        ("null_to_some", "null", "{ team = \"payments\" }", false),
        ("some_to_empty", "{ a = \"1\" }", "{}", false),
        ("some_to_null", "{ a = \"1\" }", "null", false),
        ("some_to_other", "{ a = \"1\" }", "{ a = \"2\" }", true),
    ];
    let cfg = |after: bool| {
        let mut s = String::new();
        for (name, before, next, _) in cases {
            let t = if after { next } else { before };
            s.push_str(&format!(
                "resource \"launchdarkly_access_token\" \"{name}\" {{\n  name = \"{name}\"\n  role = \"reader\"\n  rotation_triggers = {t}\n}}\n"
            ));
        }
        tf(&s)
    };
    let lab = Lab::new(&cfg(false));
    lab.apply();
    lab.assert_no_changes("after create");
    let before: Vec<String> = cases.iter().map(|c| token_of(&lab, c.0)).collect();
    lab.wd.write("main.tf", &cfg(true));
    lab.apply();
    for ((name, from, to, rotates), old) in cases.iter().zip(&before) {
        let new = token_of(&lab, name);
        assert_eq!(
            new != *old,
            *rotates,
            "{name}: {from} -> {to} must {}rotate",
            if *rotates { "" } else { "not " }
        );
        assert_eq!(lab.key_works(old), !rotates, "{name}: old secret");
        assert!(lab.key_works(&new), "{name}: the secret in state works");
    }
    lab.assert_server_matches_state();
    lab.assert_no_changes("after every transition");
}

/// Item 3: a null trigger value is an error at validate and plan, on create and on update,
/// pointing at the key, with no API write.
#[test]
fn a_null_rotation_trigger_fails_validate_and_plan_at_the_key() {
    let cfg = |triggers: &str| {
        tf(&format!(
            "resource \"launchdarkly_access_token\" \"n\" {{\n  name = \"n\"\n  role = \"reader\"\n  rotation_triggers = {triggers}\n}}"
        ))
    };
    let bad = "{\n    ok = \"1\"\n    a  = null\n  }";
    let lab = Lab::new(&cfg(bad));
    let check = |lab: &Lab, when: &str| {
        let (ok, diags) = json_diagnostics(&lab.wd, &["validate", "-json", "-no-color"]);
        assert!(!ok, "{when}: validate must fail");
        let d = find(&diags, "Null rotation trigger");
        assert_eq!(d.len(), 1, "{when}: {diags:?}");
        assert!(snippet(d[0]).contains("a  = null"), "{when}: {:?}", d[0]);
        assert!(
            d[0]["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("rotation_triggers[\"a\"]"),
            "{when}: {:?}",
            d[0]
        );
        let o = lab.wd.run(&["plan", "-no-color", "-input=false"]);
        assert!(!o.status.success(), "{when}: plan must fail");
        assert!(text(&o).contains("Null rotation trigger"), "{}", text(&o));
    };
    check(&lab, "create");
    assert!(lab.server_tokens().is_empty(), "nothing created");

    lab.wd.write("main.tf", &cfg("{ ok = \"1\" }"));
    lab.apply();
    let s1 = token_of(&lab, "n");
    lab.wd.write("main.tf", &cfg(bad));
    lab.emu.clear_requests();
    check(&lab, "update");
    assert!(
        lab.emu.requests().iter().all(|r| r.method == "GET"),
        "no API write: {:?}",
        lab.emu.requests()
    );
    lab.wd.write("main.tf", &cfg("{ ok = \"1\" }"));
    assert_eq!(token_of(&lab, "n"), s1);
    lab.assert_server_matches_state();
    lab.assert_no_changes("after the failed plans");
}

/// Item 4: `expire = 0` is v2's "no rotation"; a v2 state carrying `expire = 0` plans no
/// change against a configuration that omits `expire`.
#[test]
fn expire_zero_is_accepted_and_a_v2_state_with_zero_plans_no_change() {
    let cfg = |expire: &str| {
        tf(&format!(
            "resource \"launchdarkly_access_token\" \"z\" {{\n  name = \"z\"\n  role = \"reader\"\n  {expire}\n}}"
        ))
    };
    let lab = Lab::new(&cfg("expire = 0"));
    ok(
        lab.wd.run(&["validate", "-no-color"]),
        "validate expire = 0",
    );
    lab.apply();
    let s1 = token_of(&lab, "z");
    lab.assert_no_changes("after create with expire = 0");
    // 0 -> null and back never rotates.
    lab.wd.write("main.tf", &cfg(""));
    lab.apply();
    lab.wd.write("main.tf", &cfg("expire = 0"));
    lab.apply();
    assert_eq!(token_of(&lab, "z"), s1, "0 and null never rotate");
    assert!(lab.key_works(&s1));
    lab.assert_server_matches_state();

    // A state written by the official provider v2.30.3 for a configuration without expire.
    let t = &lab.server_tokens()[0];
    let state = serde_json::json!({
        "version": 4, "terraform_version": "1.0.0", "serial": 9,
        "lineage": "0b6a3f4e-1c2d-4e5f-9a0b-123456789abd", "outputs": {},
        "resources": [{
            "mode": "managed", "type": "launchdarkly_access_token", "name": "z",
            "provider": "provider[\"registry.terraform.io/launchdarkly/launchdarkly\"]",
            "instances": [{
                "schema_version": 0,
                "attributes": {
                    "id": t.id, "name": "z", "role": "reader", "custom_roles": [],
                    "inline_roles": [], "policy_statements": [],
                    "service_token": false, "default_api_version": 20240415,
                    "token": t.secret, "expire": 0
                },
                "sensitive_attributes": [],
                "private": "bnVsbA=="
            }]
        }]
    });
    lab.wd.write(
        "terraform.tfstate",
        &serde_json::to_string_pretty(&state).expect("json"),
    );
    lab.wd.write("main.tf", &cfg(""));
    lab.assert_no_changes("v2 state with expire = 0, configuration without expire");
    lab.apply();
    assert_eq!(token_of(&lab, "z"), t.secret, "no rotation");
    lab.assert_server_matches_state();
    lab.assert_no_changes("after applying over the v2 state");
}

/// Item 5: a secret reset outside Terraform is noticed on refresh; the plan rotates (with a
/// warning saying why), so the state and outputs get a secret that works.
#[test]
fn a_secret_reset_outside_terraform_is_noticed_and_rotated() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "s" {
  name = "s"
  role = "reader"
}

output "secret" {
  value     = launchdarkly_access_token.s.token
  sensitive = true
}"#));
    lab.apply();
    let s1 = token_of(&lab, "s");
    let id = lab.server_tokens()[0].id.clone();
    lab.rt
        .block_on(lab.admin_client().reset_token(&id, None))
        .expect("reset in the UI");
    assert!(!lab.key_works(&s1), "the secret in state is dead");
    let (code, plan) = lab.plan_code();
    assert_eq!(
        code, 2,
        "plan -detailed-exitcode must report changes:\n{plan}"
    );
    assert!(
        plan.contains("Warning: Access token secret was reset outside Terraform"),
        "the warning says why:\n{plan}"
    );
    assert!(
        plan.contains("token") && plan.contains("(sensitive value)"),
        "{plan}"
    );
    let out = lab.apply();
    assert!(out.contains("1 changed"), "{out}");
    let s2 = token_of(&lab, "s");
    assert_ne!(s2, s1);
    assert_eq!(
        s2,
        lab.server_tokens()[0].secret,
        "state holds the current secret"
    );
    assert!(lab.key_works(&s2));
    let o = ok(lab.wd.run(&["output", "-raw", "secret"]), "output");
    assert_eq!(o.trim(), s2, "the output hands out the working secret");
    lab.assert_server_matches_state();
    lab.assert_no_changes("after the rotation");
}

fn role_id(lab: &Lab, key: &str) -> String {
    lab.emu
        .custom_roles()
        .into_iter()
        .find(|r| r.key == key)
        .map(|r| r.id)
        .expect("role")
}

/// Item 6: a role named by key and by ID is rejected at plan with the path; the key alone,
/// or the ID alone, converges.
#[test]
fn a_custom_role_by_key_and_by_id_fails_the_plan_and_each_alone_converges() {
    let cfg = |roles: &str| {
        tf(&format!(
            "resource \"launchdarkly_access_token\" \"c\" {{\n  name         = \"c\"\n  custom_roles = [{roles}]\n}}"
        ))
    };
    let lab = Lab::new(&cfg("\"deployer\""));
    let id = role_id(&lab, "deployer");
    lab.wd
        .write("main.tf", &cfg(&format!("\"deployer\", \"{id}\"")));
    let (ok_, diags) = json_diagnostics(&lab.wd, &["plan", "-json", "-no-color", "-input=false"]);
    assert!(!ok_, "the plan fails");
    let d = find(&diags, "Custom role listed twice");
    assert_eq!(d.len(), 1, "{diags:?}");
    assert!(snippet(d[0]).contains("custom_roles"), "{:?}", d[0]);
    let detail = d[0]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("deployer") && detail.contains(&id),
        "{detail}"
    );
    assert!(lab.server_tokens().is_empty(), "nothing created");

    lab.wd.write("main.tf", &cfg("\"deployer\""));
    lab.apply();
    lab.assert_no_changes("by key");
    lab.wd.write("main.tf", &cfg(&format!("\"{id}\"")));
    lab.apply();
    lab.assert_no_changes("by ID");
    assert_eq!(lab.server_tokens()[0].custom_role_ids, vec![id]);
    lab.assert_server_matches_state();
}

/// Item 7: an unknown role key fails the plan with the key and its path, before any write;
/// each key is looked up once per provider process.
#[test]
fn an_unknown_custom_role_fails_the_plan_with_the_key_looked_up_once() {
    let cfg = |a: &str| {
        tf(&format!(
            "resource \"launchdarkly_access_token\" \"a\" {{\n  name         = \"a\"\n  custom_roles = [\"deployer\", \"{a}\"]\n}}\n\n\
             resource \"launchdarkly_access_token\" \"b\" {{\n  name         = \"b\"\n  custom_roles = [\"{a}\", \"deployer\"]\n}}"
        ))
    };
    let lab = Lab::new(&cfg("deplyer"));
    let (ok_, diags) = json_diagnostics(&lab.wd, &["plan", "-json", "-no-color", "-input=false"]);
    assert!(!ok_, "the plan fails");
    let d = find(&diags, "Unknown custom role");
    assert_eq!(d.len(), 2, "one per resource: {diags:?}");
    for x in &d {
        let detail = x["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("custom_roles[\"deplyer\"]"), "{detail}");
        assert!(
            detail.contains("Check the spelling"),
            "names the fix: {detail}"
        );
        assert!(snippet(x).contains("custom_roles"), "{x:?}");
    }
    let gets = |key: &str| {
        lab.emu
            .requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path == format!("/api/v2/roles/{key}"))
            .count()
    };
    assert_eq!(gets("deplyer"), 1, "looked up once for both resources");
    assert_eq!(gets("deployer"), 1, "looked up once for both resources");
    assert!(lab.server_tokens().is_empty(), "nothing created");

    lab.wd.write("main.tf", &cfg("ci-reader"));
    lab.apply();
    lab.assert_server_matches_state();
    lab.assert_no_changes("after fixing the key");
}
