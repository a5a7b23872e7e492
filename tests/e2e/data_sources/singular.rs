//! `launchdarkly_access_token` lookups by ID and by name, with their errors, and the
//! validation of both data sources' arguments.

use super::{apply_fails, seed, tf};
use crate::support::*;

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
