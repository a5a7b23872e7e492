//! Resource identity (Terraform 1.12+) and the list resource for `terraform query`
//! (Terraform 1.14+) through the real Terraform; older versions skip, saying why.

use crate::support::*;
use launchdarkly_emulator::SeedToken;

fn seed(lab: &Lab, name: &str, role: &str, service: bool) -> String {
    lab.emu
        .seed_token(SeedToken {
            name: Some(name.into()),
            role: Some(role.into()),
            service_token: service,
            ..Default::default()
        })
        .expect("seed")
        .id
}

/// `terraform query` writing configuration for what it finds to `generated.tf`: the
/// command's output and the generated file.
fn query_generating_config(lab: &Lab) -> (String, String) {
    let out = ok(
        lab.wd
            .run(&["query", "-no-color", "-generate-config-out=generated.tf"]),
        "terraform query -generate-config-out",
    );
    let generated =
        std::fs::read_to_string(lab.wd.path().join("generated.tf")).expect("generated.tf");
    (out, generated)
}

/// The output of `terraform plan -detailed-exitcode`.
fn plan_text(lab: &Lab) -> String {
    let o = lab
        .wd
        .run(&["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
    text(&o)
}

#[test]
fn identity_is_in_state_and_import_by_identity_works() {
    if !terraform_at_least(12, "resource identity needs Terraform >= 1.12") {
        return;
    }
    let lab = Lab::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\nresource \"launchdarkly_access_token\" \"made\" {{\n  name = \"made\"\n  role = \"reader\"\n}}\n"
    ));
    lab.apply();
    let show = |lab: &Lab| -> serde_json::Value {
        let o = lab.wd.run(&["show", "-json"]);
        serde_json::from_slice(&o.stdout).expect("show -json")
    };
    let j = show(&lab);
    let made = &j["values"]["root_module"]["resources"][0];
    assert_eq!(made["identity"]["id"], made["values"]["id"], "{made}");

    let id = seed(&lab, "imported", "writer", false);
    lab.wd.write(
        "import.tf",
        &format!(
            "import {{\n  to = launchdarkly_access_token.imported\n  identity = {{\n    id = \"{id}\"\n  }}\n}}\n\nresource \"launchdarkly_access_token\" \"imported\" {{\n  name = \"imported\"\n  role = \"writer\"\n}}\n"
        ),
    );
    let out = lab.apply();
    assert!(out.contains("1 imported"), "{out}");
    let j = show(&lab);
    let imported = j["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|rs| {
            rs.iter()
                .find(|r| r["address"] == "launchdarkly_access_token.imported")
                .cloned()
        })
        .expect("imported in state");
    assert_eq!(imported["identity"]["id"], id.as_str());
    assert!(
        imported["values"]["token"].is_null(),
        "no secret after import"
    );
    lab.assert_server_matches_state();
    lab.assert_no_changes("after import by identity");
}

#[test]
fn terraform_query_lists_by_filter_and_generated_config_imports_cleanly() {
    if !terraform_at_least(14, "terraform query needs Terraform >= 1.14") {
        return;
    }
    let lab = Lab::without_resources();
    let ci_a = seed(&lab, "ci-a", "reader", true);
    let ci_b = seed(&lab, "ci-b", "writer", false);
    let other = seed(&lab, "other", "reader", false);
    lab.wd.write(
        "tokens.tfquery.hcl",
        "list \"launchdarkly_access_token\" \"ci\" {\n  provider         = launchdarkly\n  include_resource = true\n  config {\n    name_regex = \"^ci-\"\n  }\n}\n",
    );
    let out = ok(lab.wd.run(&["query", "-no-color"]), "terraform query");
    assert!(out.contains(&ci_a) && out.contains(&ci_b), "{out}");
    assert!(!out.contains(&other), "the filter applies:\n{out}");

    let (out, generated) = query_generating_config(&lab);
    assert_eq!(
        generated.matches("import {").count(),
        2,
        "{out}\n{generated}"
    );
    assert!(!generated.contains("api-"), "never a secret:\n{generated}");
    let plan = plan_text(&lab);
    assert!(
        plan.contains("2 to import, 0 to add, 0 to change, 0 to destroy"),
        "{generated}\n{plan}"
    );
    lab.apply();
    lab.assert_no_changes("after importing the generated configuration");
    let ids: Vec<String> = lab
        .state()
        .values()
        .map(|v| v["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        ids.contains(&ci_a) && ids.contains(&ci_b) && !ids.contains(&other),
        "{ids:?}"
    );
}

/// Terraform 1.15 asks the provider for generated configuration (`GenerateResourceConfig`,
/// the `generate_resource_config` capability): one token per kind of permission, including
/// a custom role stored by ID and statements created as the deprecated `policy_statements`.
/// The generated file validates, never holds `id`, `token` or a secret, names custom roles
/// by key, writes statements as `inline_roles`, and imports with a clean plan.
#[test]
fn generated_config_validates_and_imports_cleanly_for_every_kind_of_permission() {
    if !terraform_at_least(15, "GenerateResourceConfig needs Terraform >= 1.15") {
        return;
    }
    let lab = Lab::without_resources();
    let deployer = lab
        .emu
        .custom_roles()
        .into_iter()
        .find(|r| r.key == "deployer")
        .expect("deployer fixture");
    seed(&lab, "gen-role", "writer", false);
    lab.emu
        .seed_token(SeedToken {
            name: Some("gen-custom".into()),
            custom_role_ids: vec![deployer.id.clone()],
            ..Default::default()
        })
        .expect("seed");
    let other = lab.second_workdir(&format!(
        r#"{REQUIRED_PROVIDERS}
provider "launchdarkly" {{}}

resource "launchdarkly_access_token" "legacy" {{
  name                = "gen-legacy"
  description         = "made by hand"
  service_token       = true
  default_api_version = 20191212
  policy_statements {{
    effect        = "deny"
    not_resources = ["proj/secret"]
    not_actions   = ["deleteFlag"]
  }}
}}
"#
    ));
    apply_in(&other);
    lab.wd.write(
        "tokens.tfquery.hcl",
        "list \"launchdarkly_access_token\" \"gen\" {\n  provider         = launchdarkly\n  include_resource = true\n  config {\n    name_regex = \"^gen-\"\n  }\n}\n",
    );
    lab.emu.clear_requests();
    let (out, generated) = query_generating_config(&lab);
    assert_eq!(
        generated.matches("import {").count(),
        3,
        "{out}\n{generated}"
    );
    for never in ["api-", "policy_statements", deployer.id.as_str()] {
        assert!(!generated.contains(never), "{never:?} in:\n{generated}");
    }
    // Read-only attributes are never written (`id` appears only in the import identities).
    assert!(
        !generated
            .lines()
            .any(|l| l.trim_start().starts_with("token") || l.starts_with("  id ")),
        "read-only attributes in:\n{generated}"
    );
    let flat = generated.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("custom_roles = [\"deployer\"]"),
        "{generated}"
    );
    assert!(flat.contains("inline_roles {"), "{generated}");
    assert!(flat.contains("role = \"writer\""), "{generated}");
    assert_eq!(
        generated.matches("service_token").count(),
        1,
        "only where it says something:\n{generated}"
    );
    ok(
        lab.wd.run(&["validate", "-no-color"]),
        "validate the generated configuration",
    );
    let plan = plan_text(&lab);
    assert!(
        plan.contains("3 to import, 0 to add, 0 to change, 0 to destroy"),
        "{generated}\n{plan}"
    );
    lab.apply();
    lab.assert_no_changes("after importing the configuration the provider generated");
    println!(
        "Terraform 1.15: generated configuration for 3 tokens (role, custom role by key, statements) validates and imports with a clean plan"
    );
}
