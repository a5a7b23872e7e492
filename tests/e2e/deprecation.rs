//! Deprecations the 1.15 way (issue 9, item 5): `policy_statements` carries a
//! `deprecation_message` in the schema, and a user who sets it sees exactly one deprecation
//! warning per command, on every Terraform version.
//!
//! Why one, not two, on 1.15: Terraform (1.0 to 1.15) never warns about a deprecated block
//! *set* in a configuration. 1.15 uses `deprecated` and `deprecation_message` only to mark the
//! value where a configuration *refers* to it ("Deprecated value used"); older versions warn
//! only for references to deprecated attributes. So the provider's own validation warning,
//! where the blocks are set, is the one warning on every version, and the schema message
//! gives Terraform 1.15's reference warning the same advice.

use crate::support::*;

const MESSAGE: &str = "policy_statements is deprecated; rename the blocks to inline_roles";

fn config() -> String {
    format!(
        r#"{REQUIRED_PROVIDERS}
provider "launchdarkly" {{}}

resource "launchdarkly_access_token" "legacy" {{
  name = "legacy"
  policy_statements {{
    effect    = "allow"
    resources = ["proj/*"]
    actions   = ["*"]
  }}
}}

output "id" {{
  value = launchdarkly_access_token.legacy.id
}}
"#
    )
}

/// Warnings (JSON diagnostics) that concern `policy_statements`, whoever emitted them.
fn policy_warnings(o: &std::process::Output) -> Vec<serde_json::Value> {
    json_diagnostics(o)
        .into_iter()
        .filter(|d| d["severity"] == "warning")
        .filter(|d| {
            let all = format!("{} {}", d["summary"], d["detail"]);
            all.contains("policy_statements") || all.contains("Deprecated value used")
        })
        .collect()
}

#[test]
fn policy_statements_deprecation_warns_exactly_once_per_command() {
    let (major, minor, patch) = terraform_version();
    let lab = Lab::new(&config());
    let runs: &[&[&str]] = &[
        &["validate", "-json", "-no-color"],
        &["plan", "-json", "-input=false", "-no-color"],
        &[
            "apply",
            "-json",
            "-auto-approve",
            "-input=false",
            "-no-color",
        ],
    ];
    for args in runs {
        let o = lab.wd.run(args);
        assert!(o.status.success(), "{args:?}:\n{}", text(&o));
        let warnings = policy_warnings(&o);
        assert_eq!(
            warnings.len(),
            1,
            "{args:?}: exactly one policy_statements warning: {warnings:#?}"
        );
        assert!(
            warnings[0]["detail"]
                .as_str()
                .is_some_and(|d| d.contains(MESSAGE)),
            "{:#}",
            warnings[0]
        );
        println!(
            "Terraform {major}.{minor}.{patch} {}: 1 policy_statements deprecation warning",
            args[0]
        );
    }
    // What a person reads: the human-readable plan says it once too.
    let o = lab.wd.run(&["plan", "-input=false", "-no-color"]);
    let human = text(&o);
    assert!(o.status.success(), "{human}");
    assert_eq!(human.matches(MESSAGE).count(), 1, "{human}");
    assert!(!human.contains("Deprecated value used"), "{human}");
    lab.assert_server_matches_state();
}

/// Terraform 1.15 reads the message from the schema (`providers schema -json` shows it).
#[test]
fn policy_statements_deprecation_message_is_in_the_schema_terraform_reads() {
    let (major, minor, _) = terraform_version();
    if major == 1 && minor < 15 {
        eprintln!("skipped: Terraform 1.{minor} does not read deprecation messages (1.15+)");
        return;
    }
    let lab = Lab::new(&config());
    let out = ok(
        lab.wd.run(&["providers", "schema", "-json"]),
        "providers schema",
    );
    let j: serde_json::Value = serde_json::from_str(&out).expect("schema json");
    let provider = j["provider_schemas"]
        .as_object()
        .and_then(|m| m.values().next())
        .expect("one provider");
    let block = &provider["resource_schemas"]["launchdarkly_access_token"]["block"]["block_types"]
        ["policy_statements"]["block"];
    assert_eq!(block["deprecated"], true, "{block:#}");
    assert!(
        block["deprecation_message"]
            .as_str()
            .is_some_and(|m| m.contains(MESSAGE)),
        "{block:#}"
    );
    println!(
        "Terraform 1.{minor}: policy_statements deprecation_message = {}",
        block["deprecation_message"]
    );
}
