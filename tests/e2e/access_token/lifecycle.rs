//! The token's lifecycle: create, update in place, replace, rotate (also after a failed
//! rotation), moved blocks and destroy.

use super::*;
use crate::access_token_correctness::token_of;

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
    let old = token_of(&lab, "ci");
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
    let new = token_of(&lab, "ci");
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
    let token = |lab: &Lab| token_of(lab, "rot");
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
    let token = |lab: &Lab| token_of(lab, "r");
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
