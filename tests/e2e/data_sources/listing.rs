//! `launchdarkly_access_tokens` over many pages with every filter, and `show_all` for
//! other members' personal tokens (plural and singular).

use super::{apply_fails, expected, seed, strings, tf, token_ids};
use crate::support::*;
use launchdarkly_emulator::{ADMIN_MEMBER_ID, EmulatedToken, SeedToken};
use serde_json::Value as J;

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
