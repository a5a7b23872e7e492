//! `launchdarkly_access_token` through the real Terraform against the
//! emulator. Each scenario checks the server's token set against the state
//! and that the follow-up `plan -detailed-exitcode` shows no changes.

use crate::support::*;

fn tf(resources: &str) -> String {
    format!("{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\n{resources}\n")
}

#[test]
fn role_token_lifecycle_update_switch_rotate_destroy() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "ci" {
  name = "ci"
  role = "reader"
}"#));
    lab.apply();
    let server = lab.server_tokens();
    assert_eq!(server.len(), 1);
    assert_eq!(server[0].role.as_deref(), Some("reader"));
    let st = lab.state()["launchdarkly_access_token.ci"].clone();
    assert_eq!(st["id"], server[0].id.as_str());
    assert_eq!(
        st["token"],
        server[0].secret.as_str(),
        "state holds the full secret from the 201"
    );
    assert_eq!(st["service_token"], false);
    lab.assert_server_matches_state();
    lab.assert_no_changes("after create");

    // In-place update of every patchable field.
    lab.wd.write(
        "main.tf",
        &tf(r#"resource "launchdarkly_access_token" "ci" {
  name        = "ci-renamed"
  description = "used by CI"
  role        = "writer"
}"#),
    );
    let out = lab.apply();
    assert!(out.contains("1 changed, 0 destroyed"), "{out}");
    let t = &lab.server_tokens()[0];
    assert_eq!(
        (
            t.name.as_deref(),
            t.description.as_deref(),
            t.role.as_deref()
        ),
        (Some("ci-renamed"), Some("used by CI"), Some("writer"))
    );
    assert_eq!(t.id, server[0].id, "updated in place");
    assert_eq!(
        lab.state()["launchdarkly_access_token.ci"]["token"],
        server[0].secret.as_str(),
        "token unchanged by an update"
    );
    lab.assert_no_changes("after update");

    // role → inline policy.
    lab.wd.write(
        "main.tf",
        &tf(r#"resource "launchdarkly_access_token" "ci" {
  name        = "ci-renamed"
  description = "used by CI"
  inline_roles {
    effect    = "allow"
    resources = ["proj/*:env/production:flag/*"]
    actions   = ["updateOn"]
  }
}"#),
    );
    lab.apply();
    let t = &lab.server_tokens()[0];
    assert_eq!(t.role, None);
    assert_eq!(t.inline_role.len(), 1);
    lab.assert_no_changes("after role → inline_roles");

    // Rotation by expire (v2 semantics): negative → old secret expires now.
    let old = lab.state()["launchdarkly_access_token.ci"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    lab.wd.write(
        "main.tf",
        &tf(r#"resource "launchdarkly_access_token" "ci" {
  name        = "ci-renamed"
  description = "used by CI"
  expire      = -1
  inline_roles {
    effect    = "allow"
    resources = ["proj/*:env/production:flag/*"]
    actions   = ["updateOn"]
  }
}"#),
    );
    lab.apply();
    let new = lab.state()["launchdarkly_access_token.ci"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_ne!(new, old, "rotation stores the new secret");
    assert_eq!(new, lab.server_tokens()[0].secret);
    assert!(
        lab.key_works(&new) && !lab.key_works(&old),
        "old secret expired immediately"
    );
    lab.assert_no_changes("after rotation");
    lab.assert_server_matches_state();

    ok(
        lab.wd.run(&["destroy", "-auto-approve", "-no-color"]),
        "terraform destroy",
    );
    assert!(lab.server_tokens().is_empty(), "destroy deletes the token");
}

/// A token made directly on the server with the inline policy
/// `allow proj/* *` (as a v2 `policy_statements` block would create it).
fn seed_inline_policy_token(lab: &Lab, name: &str) -> launchdarkly_emulator::EmulatedToken {
    let t = lab
        .emu
        .seed_token(launchdarkly_emulator::SeedToken {
            name: Some(name.into()),
            ..Default::default()
        })
        .expect("seed");
    let st = serde_json::json!([{"effect": "allow", "resources": ["proj/*"], "actions": ["*"]}]);
    lab.rt
        .block_on(lab.admin_client().patch_token(
            &t.id,
            &[
                tfld::models::PatchOperation::remove("/role"),
                tfld::models::PatchOperation::replace("/inlineRole", st),
            ],
        ))
        .expect("make it an inline-policy token");
    t
}

fn tf_version_at_least(minor: u32) -> bool {
    let (maj, min, _) = terraform_version();
    maj > 1 || (maj == 1 && min >= minor)
}

#[test]
fn custom_role_keys_and_policy_statements() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "custom" {
  name         = "custom"
  custom_roles = ["deployer", "ci-reader"]
}

resource "launchdarkly_access_token" "legacy" {
  name = "legacy"
  policy_statements {
    effect        = "deny"
    not_resources = ["proj/secret"]
    not_actions   = ["deleteFlag"]
  }
}"#));
    let out = lab.apply();
    assert!(
        out.contains("policy_statements is deprecated"),
        "deprecation warning expected:\n{out}"
    );
    let roles = lab.emu.custom_roles();
    let id_of = |k: &str| {
        roles
            .iter()
            .find(|r| r.key == k)
            .map(|r| r.id.clone())
            .expect("role")
    };
    let custom = lab
        .server_tokens()
        .into_iter()
        .find(|t| t.name.as_deref() == Some("custom"))
        .expect("custom");
    let mut ids = custom.custom_role_ids.clone();
    ids.sort();
    let mut want = vec![id_of("deployer"), id_of("ci-reader")];
    want.sort();
    assert_eq!(ids, want, "the server stores role IDs");
    let st = lab.state();
    let mut keys: Vec<String> = st["launchdarkly_access_token.custom"]["custom_roles"]
        .as_array()
        .expect("custom_roles")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        vec!["ci-reader", "deployer"],
        "state keeps the keys the user wrote"
    );
    let legacy = lab
        .server_tokens()
        .into_iter()
        .find(|t| t.name.as_deref() == Some("legacy"))
        .expect("legacy");
    assert_eq!(legacy.inline_role.len(), 1);
    assert_eq!(
        st["launchdarkly_access_token.legacy"]["policy_statements"][0]["effect"],
        "deny"
    );
    lab.assert_server_matches_state();
    lab.assert_no_changes("after custom roles / policy_statements create");
}

#[test]
fn service_token_change_replaces_the_token() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "svc" {
  name = "svc"
  role = "reader"
}"#));
    lab.apply();
    let first = lab.server_tokens()[0].id.clone();
    lab.wd.write(
        "main.tf",
        &tf(r#"resource "launchdarkly_access_token" "svc" {
  name          = "svc"
  role          = "reader"
  service_token = true
}"#),
    );
    let (code, plan) = lab.plan_code();
    assert_eq!(code, 2);
    assert!(
        plan.contains("must be replaced") && plan.contains("forces replacement"),
        "{plan}"
    );
    lab.apply();
    let server = lab.server_tokens();
    assert_eq!(server.len(), 1, "the old token is deleted");
    assert_ne!(server[0].id, first);
    assert!(server[0].service_token);
    lab.assert_server_matches_state();
    lab.assert_no_changes("after replacement");
}

#[test]
fn rotation_by_triggers_with_and_without_grace() {
    let cfg = |trigger: &str, grace: &str| {
        tf(&format!(
            r#"resource "launchdarkly_access_token" "rot" {{
  name                  = "rot"
  role                  = "reader"
  rotation_triggers     = {{ r = "{trigger}" }}
  {grace}
}}"#
        ))
    };
    let lab = Lab::new(&cfg("1", "rotation_grace_period = \"1h\""));
    lab.apply();
    let token = |lab: &Lab| {
        lab.state()["launchdarkly_access_token.rot"]["token"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let s1 = token(&lab);
    lab.assert_no_changes("after create with triggers");

    // Change a trigger: new secret, old one valid during the grace period.
    lab.wd
        .write("main.tf", &cfg("2", "rotation_grace_period = \"1h\""));
    let (code, plan) = lab.plan_code();
    assert_eq!(code, 2);
    assert!(
        plan.contains("token") && plan.contains("(sensitive value)"),
        "token planned to change:\n{plan}"
    );
    lab.apply();
    let s2 = token(&lab);
    assert_ne!(s1, s2);
    assert!(
        lab.key_works(&s1),
        "old secret valid within the grace period"
    );
    assert!(lab.key_works(&s2));
    lab.emu
        .advance_clock(std::time::Duration::from_secs(2 * 3600));
    assert!(
        !lab.key_works(&s1),
        "old secret rejected after the grace period"
    );
    assert!(lab.key_works(&s2));
    lab.assert_no_changes("after rotation with grace");

    // Without a grace period the previous secret stops at once.
    lab.wd.write("main.tf", &cfg("3", ""));
    lab.apply();
    let s3 = token(&lab);
    assert!(!lab.key_works(&s2) && lab.key_works(&s3));
    lab.assert_server_matches_state();
    lab.assert_no_changes("after rotation without grace");
}

#[test]
fn drift_is_detected_and_a_deleted_token_is_recreated() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "d" {
  name = "drift"
  role = "reader"
}"#));
    lab.apply();
    let id = lab.server_tokens()[0].id.clone();
    let admin = lab.admin_client();
    lab.rt
        .block_on(admin.patch_token(
            &id,
            &[tfld::models::PatchOperation::replace("/role", "admin")],
        ))
        .expect("server-side change");
    let (code, plan) = lab.plan_code();
    assert_eq!(code, 2, "server-side change must show in the plan:\n{plan}");
    assert!(plan.contains("\"admin\" -> \"reader\""), "{plan}");
    lab.apply();
    assert_eq!(lab.server_tokens()[0].role.as_deref(), Some("reader"));

    lab.rt
        .block_on(admin.delete_token(&id))
        .expect("server-side delete");
    let (code, plan) = lab.plan_code();
    assert_eq!(code, 2);
    assert!(plan.contains("will be created"), "{plan}");
    lab.apply();
    lab.assert_server_matches_state();
    lab.assert_no_changes("after re-create");
}

#[test]
fn import_by_cli_and_import_block_with_generated_config() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "x" {
  name = "imported"
  role = "writer"
}"#));
    let spec = |name: &str, role: &str| launchdarkly_emulator::SeedToken {
        name: Some(name.into()),
        role: Some(role.into()),
        ..Default::default()
    };
    let a = lab
        .emu
        .seed_token(spec("imported", "writer"))
        .expect("seed");
    let out = ok(
        lab.wd
            .run(&["import", "-no-color", "launchdarkly_access_token.x", &a.id]),
        "terraform import",
    );
    assert!(out.contains("Import successful"), "{out}");
    let st = lab.state();
    assert_eq!(st["launchdarkly_access_token.x"]["id"], a.id.as_str());
    assert!(
        st["launchdarkly_access_token.x"]["token"].is_null(),
        "token is null after import"
    );
    lab.assert_no_changes("after CLI import");

    if !tf_version_at_least(5) {
        println!("skipping import {{}} and -generate-config-out: Terraform < 1.5");
        return;
    }
    let b = lab
        .emu
        .seed_token(spec("generated", "reader"))
        .expect("seed");
    lab.wd.write(
        "import.tf",
        &format!(
            "import {{\n  to = launchdarkly_access_token.gen\n  id = \"{}\"\n}}\n",
            b.id
        ),
    );
    let out = ok(
        lab.wd.run(&[
            "plan",
            "-no-color",
            "-input=false",
            "-generate-config-out=generated.tf",
        ]),
        "plan -generate-config-out",
    );
    assert!(out.contains("1 to import"), "{out}");
    let generated =
        std::fs::read_to_string(lab.wd.path().join("generated.tf")).expect("generated.tf");
    assert!(
        generated.contains("role") && generated.contains("\"reader\""),
        "{generated}"
    );
    lab.apply();
    assert_eq!(
        lab.state()["launchdarkly_access_token.gen"]["id"],
        b.id.as_str()
    );
    lab.assert_server_matches_state();
    lab.assert_no_changes("after import block + generated config");
}

#[test]
fn state_from_official_provider_v2_upgrades_without_diff() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "v2" {
  name = "legacy"
  policy_statements {
    effect    = "allow"
    resources = ["proj/*"]
    actions   = ["*"]
  }
}"#));
    let t = seed_inline_policy_token(&lab, "legacy");
    // A state file as the official provider v2.30.3 (schema version 0) writes it.
    let state = serde_json::json!({
        "version": 4, "terraform_version": "1.0.0", "serial": 1,
        "lineage": "8b6a3f4e-1c2d-4e5f-9a0b-123456789abc", "outputs": {},
        "resources": [{
            "mode": "managed", "type": "launchdarkly_access_token", "name": "v2",
            "provider": "provider[\"registry.terraform.io/launchdarkly/launchdarkly\"]",
            "instances": [{
                "schema_version": 0,
                "attributes": {
                    "id": t.id, "name": "legacy", "role": "", "custom_roles": [],
                    "inline_roles": [],
                    "policy_statements": [{"effect": "allow", "resources": ["proj/*"], "not_resources": [], "actions": ["*"], "not_actions": []}],
                    "service_token": false, "default_api_version": 20240415,
                    "token": t.secret, "expire": null
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
    lab.assert_no_changes("after upgrading a v2 state");
    ok(
        lab.wd
            .run(&["apply", "-refresh-only", "-auto-approve", "-no-color"]),
        "apply -refresh-only",
    );
    let after = lab.state();
    assert_eq!(
        after["launchdarkly_access_token.v2"]["token"],
        t.secret.as_str(),
        "the v2 secret is kept"
    );
}

#[test]
fn invalid_configurations_fail_validate_with_paths_and_no_api_call() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("bad role", "role = \"owner\"", "Invalid role", "role"),
        ("no permissions", "", "Missing token permissions", ""),
        (
            "two kinds",
            "role = \"reader\"\n  custom_roles = [\"deployer\"]",
            "Conflicting token permissions",
            "custom_roles",
        ),
        (
            "resources and not_resources",
            "inline_roles {\n    effect = \"allow\"\n    resources = [\"a\"]\n    not_resources = [\"b\"]\n    actions = [\"*\"]\n  }",
            "Conflicting resources and not_resources",
            "not_resources",
        ),
        (
            "missing actions",
            "inline_roles {\n    effect = \"allow\"\n    resources = [\"a\"]\n  }",
            "Missing actions",
            // The attribute is absent, so Terraform highlights its block.
            "inline_roles",
        ),
        (
            "bad effect",
            "inline_roles {\n    effect = \"maybe\"\n    resources = [\"a\"]\n    actions = [\"*\"]\n  }",
            "Invalid effect",
            "effect",
        ),
        (
            "bad api version",
            "role = \"reader\"\n  default_api_version = 20200101",
            "Invalid default_api_version",
            "default_api_version",
        ),
        (
            // 0 is valid (v2's "no rotation", issue 12 item 4); beyond year 9999 is not.
            "huge expire",
            "role = \"reader\"\n  expire = 1e20",
            "Invalid expire",
            "expire",
        ),
        (
            "bad grace",
            "role = \"reader\"\n  rotation_grace_period = \"1 day\"",
            "Invalid rotation_grace_period",
            "rotation_grace_period",
        ),
    ];
    let lab = Lab::new(&tf(""));
    for (name, body, summary, snippet) in cases {
        lab.wd.write(
            "main.tf",
            &tf(&format!(
                "resource \"launchdarkly_access_token\" \"bad\" {{\n  name = \"bad\"\n  {body}\n}}"
            )),
        );
        let o = lab.wd.run(&["validate", "-json", "-no-color"]);
        assert!(!o.status.success(), "{name}: validate must fail");
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("validate -json");
        let diags = j["diagnostics"].as_array().cloned().unwrap_or_default();
        let d = diags
            .iter()
            .find(|d| d["summary"] == *summary)
            .unwrap_or_else(|| panic!("{name}: no {summary:?} diagnostic in {diags:?}"));
        let code = d["snippet"]["code"].as_str().unwrap_or_default();
        assert!(
            code.contains(snippet),
            "{name}: diagnostic must point at {snippet:?}, got snippet {code:?}"
        );
        let o = lab.wd.run(&["plan", "-no-color", "-input=false"]);
        assert!(
            !o.status.success() && text(&o).contains(summary),
            "{name}: plan must fail too"
        );
    }
    assert!(
        lab.emu.requests().is_empty(),
        "no API call for invalid configurations: {:?}",
        lab.emu.requests()
    );
}

#[test]
fn lost_create_response_ends_with_exactly_one_tracked_token() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "lost" {
  name = "lost"
  role = "reader"
}"#));
    let mut faults = lab.emu.faults();
    faults.lose_next_creates = 1;
    lab.emu.set_faults(faults);
    let out = lab.apply();
    assert!(out.contains("1 added"), "{out}");
    let server = lab.server_tokens();
    assert_eq!(server.len(), 1, "exactly one token, no blind second POST");
    let creates = lab
        .emu
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v2/tokens")
        .count();
    assert_eq!(creates, 1, "POST sent once");
    assert_eq!(
        lab.state()["launchdarkly_access_token.lost"]["token"],
        server[0].secret.as_str(),
        "adopted token's new secret in state"
    );
    lab.assert_server_matches_state();
    lab.assert_no_changes("after adopting a lost create");
}

#[test]
fn custom_roles_and_description_update_in_place_and_moved_blocks_work() {
    let cfg = |roles: &str, desc: &str, addr: &str| {
        tf(&format!(
            "resource \"launchdarkly_access_token\" \"{addr}\" {{\n  name = \"cr\"\n  custom_roles = [{roles}]\n  {desc}\n}}"
        ))
    };
    let lab = Lab::new(&cfg("\"deployer\"", "description = \"first\"", "a"));
    lab.apply();
    let id = lab.server_tokens()[0].id.clone();
    let role_id = |k: &str| {
        lab.emu
            .custom_roles()
            .into_iter()
            .find(|r| r.key == k)
            .map(|r| r.id)
            .expect("role")
    };

    // Change the custom roles and clear the description with "".
    lab.wd.write(
        "main.tf",
        &cfg("\"auditor\", \"ci-reader\"", "description = \"\"", "a"),
    );
    let out = lab.apply();
    assert!(out.contains("1 changed"), "{out}");
    let t = &lab.server_tokens()[0];
    assert_eq!(t.id, id, "in place");
    let mut got = t.custom_role_ids.clone();
    got.sort();
    let mut want = vec![role_id("auditor"), role_id("ci-reader")];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(
        t.description.as_deref().unwrap_or_default(),
        "",
        "description cleared"
    );
    lab.assert_no_changes("after custom_roles/description update");

    // Omitting description keeps what the server has (Optional+Computed).
    lab.wd
        .write("main.tf", &cfg("\"auditor\", \"ci-reader\"", "", "a"));
    lab.assert_no_changes("description omitted");

    let (maj, min, _) = terraform_version();
    if maj == 1 && min < 1 {
        println!("skipping moved {{}}: Terraform < 1.1");
        return;
    }
    lab.wd.write(
        "main.tf",
        &format!(
            "{}\nmoved {{\n  from = launchdarkly_access_token.a\n  to   = launchdarkly_access_token.b\n}}\n",
            cfg("\"auditor\", \"ci-reader\"", "", "b")
        ),
    );
    let (_, plan) = lab.plan_code();
    assert!(
        plan.contains("has moved to launchdarkly_access_token.b"),
        "{plan}"
    );
    assert!(
        plan.contains("0 to add, 0 to change, 0 to destroy"),
        "a move changes nothing remote:\n{plan}"
    );
    lab.apply();
    lab.assert_no_changes("after moved {}");
    assert_eq!(
        lab.state()["launchdarkly_access_token.b"]["id"],
        id.as_str()
    );
    lab.assert_server_matches_state();
}

#[test]
fn a_failed_rotation_keeps_track_and_is_retried_by_the_next_apply() {
    let cfg = |trigger: &str| {
        tf(&format!(
            "resource \"launchdarkly_access_token\" \"r\" {{\n  name = \"r\"\n  role = \"reader\"\n  rotation_triggers = {{ r = \"{trigger}\" }}\n}}"
        ))
    };
    let lab = Lab::new(&cfg("1"));
    lab.apply();
    let token = |lab: &Lab| {
        lab.state()["launchdarkly_access_token.r"]["token"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let s1 = token(&lab);

    lab.wd.write("main.tf", &cfg("2"));
    let mut faults = lab.emu.faults();
    faults.fail_next_resets = 1;
    lab.emu.set_faults(faults);
    let o = lab.wd.run(&[
        "apply",
        "-auto-approve",
        "-refresh=false",
        "-input=false",
        "-no-color",
    ]);
    let out = text(&o);
    assert!(!o.status.success(), "the reset fails:\n{out}");
    assert!(out.contains("Failed to rotate the secret"), "{out}");
    assert!(out.contains("503"), "the error names the status:\n{out}");
    assert_eq!(token(&lab), s1, "state keeps the secret that still works");
    assert!(lab.key_works(&s1));
    let (code, plan) = lab.plan_code();
    assert_eq!(code, 2, "the rotation is still pending:\n{plan}");
    lab.apply();
    let s2 = token(&lab);
    assert_ne!(s2, s1);
    assert!(lab.key_works(&s2) && !lab.key_works(&s1));
    lab.assert_no_changes("after the retried rotation");
}

#[test]
fn api_errors_name_status_code_message_and_fix_without_secrets() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "e" {
  name = "e"
  role = "reader"
}"#));
    // 401: a key LaunchDarkly does not know.
    let bogus = "api-00000000-dead-4bee-8f00-000000000000";
    let o = lab.wd.run_env(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &[("LAUNCHDARKLY_ACCESS_TOKEN", bogus)],
    );
    let out = text(&o);
    assert!(!o.status.success());
    assert!(out.contains("Failed to create access token \"e\""), "{out}");
    assert!(out.contains("401"), "status named:\n{out}");
    assert!(
        out.contains("LAUNCHDARKLY_ACCESS_TOKEN"),
        "the fix names the credential's source:\n{out}"
    );
    assert!(!out.contains(bogus), "the credential is not echoed");

    // 403: a reader token may not manage tokens.
    let reader = lab
        .emu
        .seed_token(launchdarkly_emulator::SeedToken {
            name: Some("weak".into()),
            role: Some("reader".into()),
            ..Default::default()
        })
        .expect("seed");
    let o = lab.wd.run_env(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &[("LAUNCHDARKLY_ACCESS_TOKEN", reader.secret.as_str())],
    );
    let out = text(&o);
    assert!(!o.status.success());
    assert!(out.contains("403"), "{out}");
    assert!(
        !out.contains(reader.secret.as_str()),
        "the credential is not echoed"
    );
    assert_eq!(
        lab.server_tokens().len(),
        1,
        "nothing was created (only the seeded reader token exists)"
    );
}

#[test]
fn ctrl_c_during_an_update_stops_cleanly_and_loses_nothing() {
    use std::os::unix::process::CommandExt;
    let cfg = |role: &str| {
        tf(&format!(
            "resource \"launchdarkly_access_token\" \"c\" {{\n  name = \"c\"\n  role = \"{role}\"\n}}"
        ))
    };
    let lab = Lab::new(&cfg("reader"));
    lab.apply();
    lab.wd.write("main.tf", &cfg("writer"));
    let mut faults = lab.emu.faults();
    faults.latency_ms = 4_000;
    lab.emu.set_faults(faults.clone());
    lab.emu.clear_requests();

    // Like a terminal: Terraform and the provider share a process group, and
    // Ctrl-C sends SIGINT to all of it.
    let mut cmd = std::process::Command::new(terraform_binary());
    cmd.args([
        "apply",
        "-auto-approve",
        "-refresh=false",
        "-input=false",
        "-no-color",
    ])
    .current_dir(lab.wd.path())
    .process_group(0)
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    for (k, v) in &lab.wd.env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("terraform apply");
    let pgid = child.id();
    // Wait until Terraform reports the update in progress (the PATCH is then
    // held by the emulator's latency), then press Ctrl-C.
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut all = String::new();
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("Modifying...") {
                let _ = tx.send(line.clone());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    rx.recv_timeout(std::time::Duration::from_secs(60))
        .expect("the update started");
    // The PATCH has reached the emulator (it counts requests on arrival,
    // before the injected latency): the provider is inside ApplyResourceChange.
    let waiting = std::time::Instant::now();
    while lab.emu.peak_in_flight() == 0 && waiting.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(lab.emu.peak_in_flight() > 0, "the PATCH never arrived");
    let status = std::process::Command::new("kill")
        .args(["-s", "INT", "--", &format!("-{pgid}")])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    let t = format!(
        "{}{}",
        reader.join().unwrap_or_default(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "interrupted apply fails:\n{t}");
    assert!(t.contains("Interrupt received"), "{t}");
    assert!(
        !t.contains("Plugin did not respond") && !t.contains("plugin crashed"),
        "the provider survived SIGINT:\n{t}"
    );
    assert!(
        t.contains("Operation cancelled"),
        "Stop cancelled the in-flight update:\n{t}"
    );

    faults.latency_ms = 0;
    lab.emu.set_faults(faults);
    // Nothing was lost: the token is still tracked and the next apply converges.
    lab.assert_server_matches_state();
    lab.apply();
    assert_eq!(lab.server_tokens()[0].role.as_deref(), Some("writer"));
    lab.assert_no_changes("after the interrupted apply");
}

#[test]
fn provider_logs_show_progress_but_never_token_secrets() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "l" {
  name              = "logged"
  role              = "reader"
  rotation_triggers = { r = "1" }
}"#));
    let run = |lab: &Lab| {
        let o = lab.wd.run_env(
            &["apply", "-auto-approve", "-input=false", "-no-color"],
            &[("TF_LOG", "off"), ("TF_LOG_PROVIDER", "trace")],
        );
        let t = text(&o);
        assert!(o.status.success(), "{t}");
        t
    };
    let log = run(&lab);
    let first = lab.state()["launchdarkly_access_token.l"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(first.starts_with("api-"), "{first}");
    assert!(
        !log.contains(&first),
        "the created secret appeared in the logs"
    );
    assert!(
        log.contains("creating access token") && log.contains("access token created"),
        "progress is logged:\n{log}"
    );
    // TF_LOG_PROVIDER alone enables the provider's lines, not Terraform core's.
    assert!(
        !log.contains("[INFO]  backend/local"),
        "core logging stays off"
    );
    lab.wd.write(
        "main.tf",
        &tf(r#"resource "launchdarkly_access_token" "l" {
  name              = "logged"
  role              = "reader"
  rotation_triggers = { r = "2" }
}"#),
    );
    let log2 = run(&lab);
    assert!(log2.contains("rotating access token secret"), "{log2}");
    assert!(
        !log2.contains(&first),
        "the rotated-out secret appeared in the logs"
    );
    for t in lab.emu.tokens() {
        assert!(
            !log.contains(&t.secret) && !log2.contains(&t.secret),
            "a token secret appeared in the logs"
        );
        for old in &t.previous_keys {
            assert!(
                !log2.contains(&old.secret),
                "a previous secret appeared in the logs"
            );
        }
    }
}

#[test]
fn import_into_a_policy_statements_config_converges_with_one_apply_and_no_api_write() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "p" {
  name = "p"
  policy_statements {
    effect    = "allow"
    resources = ["proj/*"]
    actions   = ["*"]
  }
}"#));
    let t = seed_inline_policy_token(&lab, "p");
    ok(
        lab.wd
            .run(&["import", "-no-color", "launchdarkly_access_token.p", &t.id]),
        "import",
    );
    // Import cannot know which block the configuration uses: one apply moves
    // the statements to policy_statements in state, without a PATCH.
    lab.emu.clear_requests();
    lab.apply();
    assert!(
        !lab.emu.requests().iter().any(|r| r.method != "GET"),
        "no API write: {:?}",
        lab.emu.requests()
    );
    lab.assert_no_changes("after the converging apply");
}
