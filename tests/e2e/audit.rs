//! The stale-token audit (issue 9 item 6): `unused_for`, `created_before` and
//! `created_after` on the plural data source and the list resource, against an
//! emulator seeded with controlled creation and last-use times (its clock), and
//! the shipped `check` block example warning about stale tokens.

use crate::support::*;
use launchdarkly_emulator::SeedToken;

const DAY: i64 = 86_400_000;

/// Seeds the audit fixture: names encode age and use, so results read plainly.
fn seed_fixture(lab: &Lab) -> i64 {
    let now = lab.emu.now_ms();
    for (name, created_days_ago, used_days_ago) in [
        ("old-never-used", 200, None),
        ("old-used-long-ago", 200, Some(120)),
        ("old-used-lately", 200, Some(3)),
        ("recent-never-used", 10, None),
        ("recent-used", 10, Some(1)),
    ] {
        lab.emu
            .seed_token(SeedToken {
                name: Some(name.into()),
                service_token: true,
                creation_date: Some(now - created_days_ago * DAY),
                last_used: used_days_ago.map(|d| now - d * DAY),
                ..Default::default()
            })
            .expect("seed");
    }
    now
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
        .expect("time")
        .to_rfc3339()
}

fn names_output(lab: &Lab, output: &str) -> Vec<String> {
    let o = lab.wd.run(&["output", "-json", output]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("output -json");
    let mut names: Vec<String> = v
        .as_array()
        .expect("a list")
        .iter()
        .map(|n| n.as_str().unwrap_or_default().to_string())
        // The emulator's own admin tokens are created with it, i.e. recently.
        .filter(|n| !n.starts_with("emulator "))
        .collect();
    names.sort();
    names
}

#[test]
fn audit_filters_return_exactly_the_stale_and_dated_tokens() {
    let lab = Lab::without_resources();
    let now = seed_fixture(&lab);
    let (a, b) = (rfc3339(now - 300 * DAY), rfc3339(now - 100 * DAY));
    lab.wd.write(
        "audit.tf",
        &format!(
            r#"
data "launchdarkly_access_tokens" "stale" {{
  unused_for = "2160h"
}}
data "launchdarkly_access_tokens" "created_long_ago" {{
  created_after  = "{a}"
  created_before = "{b}"
}}
data "launchdarkly_access_tokens" "recent" {{
  created_after = "{b}"
}}
output "stale" {{
  value = data.launchdarkly_access_tokens.stale.tokens[*].name
}}
output "created_long_ago" {{
  value = data.launchdarkly_access_tokens.created_long_ago.tokens[*].name
}}
output "recent" {{
  value = data.launchdarkly_access_tokens.recent.tokens[*].name
}}
"#
        ),
    );
    lab.apply();
    assert_eq!(
        names_output(&lab, "stale"),
        ["old-never-used", "old-used-long-ago"]
    );
    assert_eq!(
        names_output(&lab, "created_long_ago"),
        ["old-never-used", "old-used-lately", "old-used-long-ago"]
    );
    assert_eq!(
        names_output(&lab, "recent"),
        ["recent-never-used", "recent-used"]
    );
}

#[test]
fn bad_audit_filters_fail_validate_with_their_paths_and_no_request() {
    let lab = Lab::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\ndata \"launchdarkly_access_tokens\" \"bad\" {{\n  unused_for    = \"90d\"\n  created_after = \"last tuesday\"\n}}\n"
    ));
    lab.emu.clear_requests();
    let o = lab.wd.run(&["validate", "-no-color"]);
    assert!(!o.status.success());
    let out = text(&o);
    assert!(
        out.contains("Invalid unused_for") && out.contains("2160h"),
        "{out}"
    );
    assert!(
        out.contains("Invalid created_after") && out.contains("RFC 3339"),
        "{out}"
    );
    assert!(
        out.contains("unused_for    = \"90d\""),
        "points at the attribute:\n{out}"
    );
    assert!(
        lab.emu.requests().is_empty(),
        "validate makes no API request"
    );
}

#[test]
fn the_check_block_example_warns_about_stale_tokens() {
    if !terraform_at_least(5, "check blocks need Terraform >= 1.5") {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(root.join("examples/audit/main.tf")).expect("example");
    let lab = Lab::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n{example}"
    ));
    // No stale token yet: the check passes silently.
    let out = lab.apply();
    assert!(!out.contains("Check block assertion failed"), "{out}");
    seed_fixture(&lab);
    let o = lab.wd.run(&["plan", "-input=false", "-no-color"]);
    let out = text(&o);
    assert!(
        o.status.success(),
        "a failed check warns, it does not fail:\n{out}"
    );
    assert!(out.contains("Check block assertion failed"), "{out}");
    assert!(
        out.contains("old-never-used") && out.contains("old-used-long-ago"),
        "the warning names the stale tokens:\n{out}"
    );
    assert!(!out.contains("recent-used"), "{out}");
}

#[test]
fn terraform_query_applies_the_audit_filters() {
    if !terraform_at_least(14, "terraform query needs Terraform >= 1.14") {
        return;
    }
    let lab = Lab::without_resources();
    seed_fixture(&lab);
    lab.wd.write(
        "stale.tfquery.hcl",
        "list \"launchdarkly_access_token\" \"stale\" {\n  provider = launchdarkly\n  config {\n    unused_for = \"2160h\"\n  }\n}\n",
    );
    let out = ok(lab.wd.run(&["query", "-no-color"]), "terraform query");
    assert!(
        out.contains("old-never-used") && out.contains("old-used-long-ago"),
        "{out}"
    );
    for fresh in ["old-used-lately", "recent-never-used", "recent-used"] {
        assert!(!out.contains(fresh), "{fresh} is not stale:\n{out}");
    }
}
