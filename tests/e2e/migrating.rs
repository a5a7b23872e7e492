//! The runnable procedures of docs/guides/migrating.md. The official provider cannot run
//! here (no network), so this provider stands in on both sides: a version bump in place,
//! `removed` + `import` blocks across a version bump (the move to v3), `moved`, and the
//! state edit that hands tokens back to v2 (read back by this provider, which accepts v2
//! state: `access_token::adoption::state_from_official_provider_v2_upgrades_without_diff`).

use std::path::Path;

use crate::release::{VERSION, ZIP, release, release_sh};
use crate::support::*;

const ADDR: &str = "registry.terraform.io/launchdarkly/launchdarkly";

/// The jq program of the guide's "back to v2" section (the test checks the guide has it).
pub const TO_V2_JQ: &str = r#".serial += 1
| .resources |= map(
    if .type == "launchdarkly_access_token" and .mode == "managed" then
      .instances |= map(
        .schema_version = 0
        | del(.identity, .identity_schema_version)
        | .attributes |= with_entries(select(.key | IN(
            "id", "name", "role", "custom_roles", "inline_roles", "policy_statements",
            "service_token", "default_api_version", "token", "expire"))))
    else . end)"#;

fn guide() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guides/migrating.md"))
        .expect("docs/guides/migrating.md")
}

fn config(version: &str, body: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    launchdarkly = {{\n      source  = \"launchdarkly/launchdarkly\"\n      version = \"{version}\"\n    }}\n  }}\n}}\n\nprovider \"launchdarkly\" {{}}\n\n{body}"
    )
}

const TOKEN: &str = r#"resource "launchdarkly_access_token" "ci" {
  name          = "ci"
  role          = "reader"
  service_token = true
}
"#;

fn apply_out(lab: &Lab) -> String {
    lab.apply()
}

#[test]
fn version_bump_in_place_then_removed_and_import_blocks_hand_the_token_over() {
    let r = release();
    let lab = Lab::new(&config(&format!("= {VERSION}"), TOKEN));
    // Two versions of the provider in one packed mirror: the release and a "0.99.0".
    let mirror = lab.wd.path().join("mirror");
    std::fs::create_dir_all(mirror.join(ADDR)).expect("mirror");
    std::fs::copy(r.out.join(ZIP), mirror.join(ADDR).join(ZIP)).expect("copy");
    release_sh(
        &[
            "--binary",
            r.binary.to_str().expect("path"),
            "--version",
            "0.99.0",
            "--out",
            lab.wd.path().join("dist").to_str().expect("path"),
            "--mirror",
            mirror.to_str().expect("path"),
        ],
        None,
    );
    lab.wd.write(
        "dev.tfrc",
        &format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{ADDR}\"]\n  }}\n  direct {{\n    exclude = [\"{ADDR}\"]\n  }}\n}}\n",
            mirror.display()
        ),
    );
    ok(lab.wd.run(&["init", "-input=false", "-no-color"]), "init");
    apply_out(&lab);
    let id = lab.server_tokens()[0].id.clone();

    // 1. A version bump upgrades in place: init -upgrade, and the plan is clean.
    lab.wd.write("main.tf", &config("= 0.99.0", TOKEN));
    let out = ok(
        lab.wd
            .run(&["init", "-upgrade", "-input=false", "-no-color"]),
        "init -upgrade",
    );
    assert!(out.contains("v0.99.0"), "{out}");
    lab.assert_no_changes("after the version bump");

    let (maj, min, _) = terraform_version();
    if maj == 1 && min < 7 {
        println!("skipped the removed/import part: `removed` blocks need Terraform >= 1.7");
        return;
    }
    // 2. `removed` with destroy = false: the state forgets the token, the server keeps it.
    let removed = "removed {\n  from = launchdarkly_access_token.ci\n  lifecycle {\n    destroy = false\n  }\n}\n";
    assert!(
        guide().contains(removed),
        "the guide shows this removed block"
    );
    lab.wd.write("main.tf", &config("= 0.99.0", removed));
    let out = apply_out(&lab);
    assert!(out.contains("0 destroyed"), "{out}");
    assert!(lab.state().is_empty(), "the state forgot the token");
    assert_eq!(
        lab.server_tokens().len(),
        1,
        "the token stays in LaunchDarkly"
    );

    // 3. Back to the previous version (standing in for another provider) with an import
    //    block: the same token, imported with a clean plan after.
    lab.wd.write(
        "main.tf",
        &config(
            &format!("= {VERSION}"),
            &format!(
                "import {{\n  to = launchdarkly_access_token.ci\n  id = \"{id}\"\n}}\n\n{TOKEN}"
            ),
        ),
    );
    ok(
        lab.wd
            .run(&["init", "-upgrade", "-input=false", "-no-color"]),
        "init -upgrade (downgrade)",
    );
    let out = apply_out(&lab);
    assert!(
        out.contains("1 imported, 0 added, 0 changed, 0 destroyed"),
        "{out}"
    );
    lab.assert_no_changes("after import");
    lab.assert_server_matches_state();
    assert_eq!(lab.server_tokens()[0].id, id, "the same token");

    // 4. `moved` renames it without replacing.
    lab.wd.write(
        "main.tf",
        &config(
            &format!("= {VERSION}"),
            &format!(
                "moved {{\n  from = launchdarkly_access_token.ci\n  to   = launchdarkly_access_token.reader\n}}\n\n{}",
                TOKEN.replace("\"ci\" {", "\"reader\" {")
            ),
        ),
    );
    let out = apply_out(&lab);
    assert!(out.contains("0 added, 0 changed, 0 destroyed"), "{out}");
    assert_eq!(
        lab.state()["launchdarkly_access_token.reader"]["id"],
        id.as_str()
    );
    ok(
        lab.wd.run(&["destroy", "-auto-approve", "-no-color"]),
        "destroy",
    );
    assert!(lab.server_tokens().is_empty());
    println!(
        "migrating: 0.1.0 -> 0.99.0 in place, removed + import back to {VERSION}, moved: token {id} kept throughout"
    );
}

#[test]
fn state_edited_for_v2_has_v2_shape_and_plans_clean() {
    if std::process::Command::new("jq")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("skipped: jq is not installed (the guide's procedure uses it)");
        return;
    }
    let flat = |s: &str| {
        s.lines()
            .map(str::trim_start)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        flat(&guide()).contains(&flat(TO_V2_JQ)),
        "docs/guides/migrating.md shows the jq program this test runs"
    );
    let ours_only = r#"resource "launchdarkly_access_token" "ci" {
  name              = "ci"
  description       = "set by this provider"
  rotation_triggers = { r = "1" }
  inline_roles {
    effect    = "allow"
    resources = ["proj/*"]
    actions   = ["*"]
  }
}
"#;
    let lab = Lab::new(&format!("{REQUIRED_PROVIDERS}\n{ours_only}"));
    lab.apply();
    let secret = tokens_in(&lab.wd)["launchdarkly_access_token.ci"].1.clone();
    // Step 1: drop the attributes v2 does not have, apply.
    let v2_config = ours_only
        .replace("  description       = \"set by this provider\"\n", "")
        .replace("  rotation_triggers = { r = \"1\" }\n", "");
    lab.wd
        .write("main.tf", &format!("{REQUIRED_PROVIDERS}\n{v2_config}"));
    lab.apply();
    // Steps 2-3: pull, edit with jq.
    let pulled = lab.wd.run(&["state", "pull"]);
    assert!(pulled.status.success(), "{}", text(&pulled));
    lab.wd
        .write("ours.tfstate", &String::from_utf8_lossy(&pulled.stdout));
    let edited = std::process::Command::new("jq")
        .arg(TO_V2_JQ)
        .arg(lab.wd.path().join("ours.tfstate"))
        .output()
        .expect("jq");
    assert!(edited.status.success(), "{}", text(&edited));
    let v2: serde_json::Value = serde_json::from_slice(&edited.stdout).expect("json");
    let inst = &v2["resources"][0]["instances"][0];
    assert_eq!(inst["schema_version"], 0);
    let mut keys: Vec<&str> = inst["attributes"]
        .as_object()
        .expect("attributes")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "custom_roles",
            "default_api_version",
            "expire",
            "id",
            "inline_roles",
            "name",
            "policy_statements",
            "role",
            "service_token",
            "token"
        ],
        "exactly the official provider v2's attributes"
    );
    assert_eq!(
        inst["attributes"]["token"],
        secret.as_str(),
        "the secret is kept"
    );
    // Step 5: push; this provider (standing in for v2, which reads the same state) plans clean.
    lab.wd
        .write("v2.tfstate", &String::from_utf8_lossy(&edited.stdout));
    ok(lab.wd.run(&["state", "push", "v2.tfstate"]), "state push");
    lab.assert_no_changes("after pushing the v2-shaped state");
    ok(
        lab.wd
            .run(&["apply", "-refresh-only", "-auto-approve", "-no-color"]),
        "apply -refresh-only",
    );
    assert_eq!(
        tokens_in(&lab.wd)["launchdarkly_access_token.ci"].1,
        secret,
        "the secret survives the round trip"
    );
    println!(
        "migrating: state for v2 has schema_version 0 and v2's attributes {keys:?}; plan clean"
    );
}
