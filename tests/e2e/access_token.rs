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
