//! Tokens that already exist: custom roles and policy statements, drift, import (CLI,
//! import blocks, generated configuration) and state written by the official provider.

use super::*;

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

    if !terraform_at_least(
        5,
        "import {} and -generate-config-out need Terraform >= 1.5",
    ) {
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
