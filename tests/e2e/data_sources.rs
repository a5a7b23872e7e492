//! `launchdarkly_access_tokens` and `launchdarkly_access_token` through the
//! real Terraform against the emulator. Expected results are computed from
//! the emulator's own token list (`lab.emu.tokens()`), including the admin
//! tokens it seeds for itself, which the admin key can see too.

use crate::support::*;
use launchdarkly_emulator::{ADMIN_MEMBER_ID, EmulatedToken, SeedToken};
use serde_json::Value as J;

fn tf(body: &str) -> String {
    format!("{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\n{body}\n")
}

fn seed(lab: &Lab, name: &str, service: bool, role: &str) -> EmulatedToken {
    lab.emu
        .seed_token(SeedToken {
            name: Some(name.into()),
            service_token: service,
            role: Some(role.into()),
            ..SeedToken::default()
        })
        .expect("seed")
}

/// IDs of the emulator's tokens the admin key sees (`show_all` as given)
/// that pass `keep`, in the data source's order (creation date, then ID).
fn expected(lab: &Lab, show_all: bool, keep: impl Fn(&EmulatedToken) -> bool) -> Vec<String> {
    let mut v: Vec<EmulatedToken> = lab
        .emu
        .tokens()
        .into_iter()
        .filter(|t| show_all || t.service_token || t.member_id == ADMIN_MEMBER_ID)
        .filter(|t| keep(t))
        .collect();
    v.sort_by(|a, b| (a.creation_date, &a.id).cmp(&(b.creation_date, &b.id)));
    v.into_iter().map(|t| t.id).collect()
}

fn strings(v: &J) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn token_ids(v: &J) -> Vec<String> {
    v["tokens"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| t["id"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn apply_fails(lab: &Lab) -> String {
    let o = lab
        .wd
        .run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let t = text(&o);
    assert!(!o.status.success(), "apply should have failed:\n{t}");
    t
}

#[test]
fn data_sources_list_every_page_and_filter_like_the_emulator() {
    let lab = Lab::new(&tf(r#"
data "launchdarkly_access_tokens" "all" {}
data "launchdarkly_access_tokens" "by_name" {
  name = "alpha-007"
}
data "launchdarkly_access_tokens" "by_regex" {
  name_regex = "^alpha-0[0-4][0-9]$"
}
data "launchdarkly_access_tokens" "service" {
  service_token = true
}
data "launchdarkly_access_tokens" "personal_writers" {
  service_token = false
  role          = "writer"
}"#));
    // 130 tokens: more than five pages of 25.
    for i in 0..100 {
        seed(&lab, &format!("alpha-{i:03}"), false, "reader");
    }
    for i in 0..20 {
        seed(&lab, &format!("svc-{i:02}"), true, "writer");
    }
    for i in 0..10 {
        seed(&lab, &format!("beta-{i}"), false, "writer");
    }
    lab.emu.advance_clock(std::time::Duration::from_secs(60));
    let newest = seed(&lab, "newest", false, "reader");
    lab.emu.clear_requests();
    lab.apply();
    let st = lab.state();
    let get = |a: &str| st[&format!("data.launchdarkly_access_tokens.{a}")].clone();
    let name_of = |t: &EmulatedToken| t.name.clone().unwrap_or_default();

    let all = get("all");
    let want_all = expected(&lab, false, |_| true);
    assert!(
        want_all.len() >= 131,
        "seeded tokens plus the emulator's own"
    );
    assert_eq!(token_ids(&all), want_all, "every token, sorted");
    assert_eq!(strings(&all["ids"]), want_all, "ids in the same order");
    assert_eq!(
        want_all.last(),
        Some(&newest.id),
        "the newest token sorts last"
    );
    assert_eq!(all["id"], "access_tokens?show_all=false");

    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "by_name",
            expected(&lab, false, |t| name_of(t) == "alpha-007"),
        ),
        (
            "by_regex",
            expected(&lab, false, |t| {
                let n = name_of(t);
                n.starts_with("alpha-0") && n[7..].parse::<u32>().is_ok_and(|x| x < 50)
            }),
        ),
        ("service", expected(&lab, false, |t| t.service_token)),
        (
            "personal_writers",
            expected(&lab, false, |t| {
                !t.service_token && t.role.as_deref() == Some("writer")
            }),
        ),
    ];
    for (addr, want) in cases {
        assert!(!want.is_empty(), "{addr}: the case must select something");
        assert_eq!(token_ids(&get(addr)), want, "{addr}");
    }
    assert_eq!(token_ids(&get("by_regex")).len(), 50);
    assert_eq!(token_ids(&get("personal_writers")).len(), 10);

    // One element in full.
    let t = all["tokens"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["id"] == newest.id.as_str()))
        .cloned()
        .expect("newest in result");
    assert_eq!(t["name"], "newest");
    assert_eq!(t["role"], "reader");
    assert_eq!(t["service_token"], false);
    assert_eq!(t["member_id"], ADMIN_MEMBER_ID);
    assert_eq!(t["custom_role_ids"], serde_json::json!([]));
    assert_eq!(t["inline_roles"], serde_json::json!([]));
    assert_eq!(t["default_api_version"], 20240415);
    assert_eq!(t["last_used"], J::Null);
    assert_eq!(
        t["token_suffix"],
        &newest.secret[newest.secret.len() - 4..],
        "the last four characters"
    );
    let created = t["creation_date"].as_str().unwrap_or_default();
    let parsed = chrono::DateTime::parse_from_rfc3339(created).expect("RFC 3339");
    assert_eq!(parsed.timestamp_millis(), newest.creation_date);

    // Every data source read every page (limit 25).
    let pages: Vec<_> = lab
        .emu
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == "/api/v2/tokens")
        .collect();
    let offsets = pages
        .iter()
        .filter(|r| {
            r.query
                .as_deref()
                .unwrap_or_default()
                .contains("offset=125")
        })
        .count();
    assert!(offsets >= 5, "each data source read page 6: {offsets}");
    assert!(pages.iter().all(|r| r.status == 200));
    lab.assert_no_changes("data sources only");
}

#[test]
fn show_all_reveals_other_members_personal_tokens() {
    let lab = Lab::new(&tf(r#"
data "launchdarkly_access_tokens" "mine" {}
data "launchdarkly_access_tokens" "everyone" {
  show_all = true
}
data "launchdarkly_access_token" "bob" {
  name     = "bob-1"
  show_all = true
}"#));
    let bob: Vec<String> = (1..=3)
        .map(|i| {
            lab.emu
                .seed_token(SeedToken {
                    member_email: Some("bob@x.test".into()),
                    name: Some(format!("bob-{i}")),
                    ..SeedToken::default()
                })
                .expect("seed")
                .id
        })
        .collect();
    seed(&lab, "shared", true, "reader");
    lab.apply();
    let st = lab.state();
    let mine = token_ids(&st["data.launchdarkly_access_tokens.mine"]);
    let everyone = token_ids(&st["data.launchdarkly_access_tokens.everyone"]);
    assert_eq!(mine, expected(&lab, false, |_| true));
    assert_eq!(everyone, expected(&lab, true, |_| true));
    for id in &bob {
        assert!(everyone.contains(id), "show_all includes bob's {id}");
        assert!(!mine.contains(id), "without show_all bob's {id} is hidden");
    }
    assert_eq!(
        st["data.launchdarkly_access_token.bob"]["id"],
        bob[0].as_str()
    );
    assert_ne!(
        st["data.launchdarkly_access_token.bob"]["member_id"],
        ADMIN_MEMBER_ID
    );

    // Without show_all the singular lookup cannot see bob's token, and says why.
    lab.wd.write(
        "main.tf",
        &tf(r#"data "launchdarkly_access_token" "bob" {
  name = "bob-1"
}"#),
    );
    let out = apply_fails(&lab);
    assert!(
        out.contains("Access token not found") && out.contains("show_all"),
        "{out}"
    );
}

#[test]
fn singular_finds_by_id_and_unique_name_and_names_candidates() {
    let lab = Lab::new("");
    let unique = seed(&lab, "unique", false, "writer");
    let twin_a = seed(&lab, "twin", false, "reader");
    let twin_b = seed(&lab, "twin", true, "reader");
    lab.wd.write(
        "main.tf",
        &tf(&format!(
            r#"data "launchdarkly_access_token" "by_id" {{
  id = "{}"
}}
data "launchdarkly_access_token" "by_name" {{
  name = "unique"
}}"#,
            twin_b.id
        )),
    );
    lab.apply();
    let st = lab.state();
    let by_id = &st["data.launchdarkly_access_token.by_id"];
    assert_eq!(by_id["id"], twin_b.id.as_str());
    assert_eq!(by_id["name"], "twin");
    assert_eq!(by_id["service_token"], true);
    assert_eq!(
        by_id["token_suffix"],
        &twin_b.secret[twin_b.secret.len() - 4..]
    );
    let by_name = &st["data.launchdarkly_access_token.by_name"];
    assert_eq!(by_name["id"], unique.id.as_str());
    assert_eq!(by_name["role"], "writer");
    lab.assert_no_changes("singular lookups");

    lab.wd.write(
        "main.tf",
        &tf(r#"data "launchdarkly_access_token" "x" {
  name = "twin"
}"#),
    );
    let out = apply_fails(&lab);
    assert!(
        out.contains("Several access tokens have this name"),
        "{out}"
    );
    assert!(
        out.contains(&twin_a.id) && out.contains(&twin_b.id),
        "both candidates named:\n{out}"
    );

    lab.wd.write(
        "main.tf",
        &tf(r#"data "launchdarkly_access_token" "x" {
  name = "Unique"
}"#),
    );
    let out = apply_fails(&lab);
    assert!(out.contains("Access token not found"), "{out}");
    assert!(
        out.contains(&unique.id),
        "the case-insensitive match is named:\n{out}"
    );

    lab.wd.write(
        "main.tf",
        &tf(r#"data "launchdarkly_access_token" "x" {
  id = "0123456789abcdef01234567"
}"#),
    );
    let out = apply_fails(&lab);
    assert!(
        out.contains("Failed to read access token 0123456789abcdef01234567"),
        "{out}"
    );
}

#[test]
fn invalid_arguments_fail_validation_with_their_attribute() {
    let lab = Lab::new(&tf(r#"data "launchdarkly_access_token" "both" {
  id   = "abc"
  name = "x"
}
data "launchdarkly_access_token" "neither" {}
data "launchdarkly_access_tokens" "bad" {
  name_regex = "ci-("
  role       = "owner"
}"#));
    let o = lab.wd.run(&["validate", "-no-color"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    for (what, line) in [
        ("Conflicting id and name", "name = \"x\""),
        (
            "Missing id or name",
            "data \"launchdarkly_access_token\" \"neither\"",
        ),
        ("Invalid name_regex", "name_regex = \"ci-(\""),
        ("Invalid role", "role       = \"owner\""),
    ] {
        assert!(out.contains(what), "{what}:\n{out}");
        assert!(out.contains(line), "{what} points at {line}:\n{out}");
    }
    assert!(
        lab.emu.requests().is_empty(),
        "no API call on invalid config"
    );
}

#[test]
fn no_secret_reaches_the_data_source_result_or_the_state_file() {
    let lab = Lab::new("");
    lab.emu
        .seed_tokens(
            30,
            SeedToken {
                member_email: Some("carol@x.test".into()),
                ..SeedToken::default()
            },
        )
        .expect("seed");
    let svc = seed(&lab, "svc", true, "admin");
    lab.wd.write(
        "main.tf",
        &tf(&format!(
            r#"data "launchdarkly_access_tokens" "all" {{
  show_all = true
}}
data "launchdarkly_access_token" "svc" {{
  id = "{}"
}}
output "all" {{
  value = data.launchdarkly_access_tokens.all
}}"#,
            svc.id
        )),
    );
    let out = lab.apply();
    let state = std::fs::read_to_string(lab.wd.path().join("terraform.tfstate"))
        .expect("terraform.tfstate");
    let tokens = lab.emu.tokens();
    assert!(tokens.len() >= 33);
    let all = &lab.state()["data.launchdarkly_access_tokens.all"];
    assert_eq!(token_ids(all).len(), tokens.len(), "show_all sees them all");
    for t in &tokens {
        assert!(t.secret.len() > 8);
        assert!(
            !state.contains(&t.secret),
            "secret of {} in the state",
            t.id
        );
        assert!(!out.contains(&t.secret), "secret of {} in the output", t.id);
        assert!(
            state.contains(&format!(
                "\"token_suffix\": \"{}\"",
                &t.secret[t.secret.len() - 4..]
            )),
            "suffix of {} in the state",
            t.id
        );
    }
}

#[test]
fn data_source_depending_on_a_new_resource_reads_it_during_apply() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "t" {
  name = "fresh"
  role = "reader"
}
data "launchdarkly_access_token" "x" {
  id = launchdarkly_access_token.t.id
}
data "launchdarkly_access_tokens" "fresh" {
  name = launchdarkly_access_token.t.name
}"#));
    let (code, plan) = lab.plan_code();
    assert_eq!(code, 2, "{plan}");
    assert!(
        plan.contains("data.launchdarkly_access_token.x will be read during apply"),
        "read deferred to apply:\n{plan}"
    );
    lab.apply();
    let created = lab.server_tokens();
    assert_eq!(created.len(), 1);
    let st = lab.state();
    assert_eq!(
        st["data.launchdarkly_access_token.x"]["id"],
        created[0].id.as_str()
    );
    assert_eq!(st["data.launchdarkly_access_token.x"]["name"], "fresh");
    assert_eq!(
        token_ids(&st["data.launchdarkly_access_tokens.fresh"]),
        vec![created[0].id.clone()]
    );
    lab.assert_no_changes("after the resource and its data sources");
}
