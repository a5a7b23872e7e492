//! Ours under a second source address: beside "the official provider" (a second copy of
//! ours stands in for it), and served in debug mode under the address it prints.

use super::{ADDR, init, mirror_rc};
use crate::release::{VERSION, ZIP, release, release_sh};
use crate::support::*;

#[test]
fn side_by_side_with_the_official_provider_under_a_second_address() {
    let r = release();
    let dir = tempfile::tempdir().expect("tempdir");
    let mirror = dir.path().join("mirror");
    // "The official provider": our release at the official address, from the mirror.
    std::fs::create_dir_all(mirror.join(ADDR)).expect("dir");
    std::fs::copy(r.out.join(ZIP), mirror.join(ADDR).join(ZIP)).expect("copy");
    // Ours, released for a second address of the user's choice.
    let second = "terraform.example.com/acme/launchdarkly";
    let bin = provider_binary();
    release_sh(
        &[
            "--binary",
            bin.to_str().expect("path"),
            "--address",
            second,
            "--out",
            dir.path().join("dist").to_str().expect("path"),
            "--mirror",
            mirror.to_str().expect("path"),
        ],
        None,
    );
    let lab = Lab::new(&format!(
        r#"terraform {{
  required_providers {{
    launchdarkly = {{
      source = "launchdarkly/launchdarkly"
    }}
    launchdarkly-tokens = {{
      source = "{second}"
    }}
  }}
}}

variable "official_host" {{}}
variable "official_key" {{}}
variable "tokens_host" {{}}
variable "tokens_key" {{}}

provider "launchdarkly" {{
  api_host     = var.official_host
  access_token = var.official_key
}}

provider "launchdarkly-tokens" {{
  api_host     = var.tokens_host
  access_token = var.tokens_key
}}

resource "launchdarkly_access_token" "by_official" {{
  name = "by-official"
  role = "reader"
}}

resource "launchdarkly_access_token" "by_ours" {{
  provider = launchdarkly-tokens
  name     = "by-ours"
  role     = "reader"
}}

data "launchdarkly_access_token" "read_by_ours" {{
  provider = launchdarkly-tokens
  id       = launchdarkly_access_token.by_ours.id
}}

output "read_by_ours" {{
  value = data.launchdarkly_access_token.read_by_ours.name
}}
"#
    ));
    lab.wd
        .write("dev.tfrc", &mirror_rc(&mirror, &[ADDR, second]));
    // Two emulators: one per provider, so where each token lands shows which provider made it.
    let other = lab
        .rt
        .block_on(launchdarkly_emulator::Emulator::start(
            launchdarkly_emulator::EmulatorConfig::default(),
        ))
        .expect("second emulator");
    let (official_host, tokens_host) = (lab.emu.base_url(), other.base_url());
    let vars = [
        ("TF_VAR_official_host", official_host.as_str()),
        ("TF_VAR_official_key", lab.emu.admin_key()),
        ("TF_VAR_tokens_host", tokens_host.as_str()),
        ("TF_VAR_tokens_key", other.admin_key()),
    ];
    let out = init(&lab.wd, &vars);
    assert!(
        out.contains(&format!("Installed {second} v{VERSION}")),
        "{out}"
    );
    let out = ok(
        lab.wd.run_env(
            &["apply", "-auto-approve", "-input=false", "-no-color"],
            &vars,
        ),
        "terraform apply",
    );
    assert!(out.contains("read_by_ours = \"by-ours\""), "{out}");
    let names = |emu: &launchdarkly_emulator::EmulatorHandle| -> Vec<String> {
        emu.tokens()
            .into_iter()
            .filter_map(|t| t.name)
            .filter(|n| !n.starts_with("emulator "))
            .collect()
    };
    assert_eq!(names(&lab.emu), vec!["by-official".to_owned()]);
    assert_eq!(names(&other), vec!["by-ours".to_owned()]);
    let show = lab.wd.run_env(&["show", "-json"], &vars);
    assert!(show.status.success(), "{}", text(&show));
    let j: serde_json::Value = serde_json::from_slice(&show.stdout).expect("show -json");
    let providers: Vec<(String, String)> = j["values"]["root_module"]["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| {
            (
                r["address"].as_str().unwrap_or_default().to_owned(),
                r["provider_name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        providers.contains(&("launchdarkly_access_token.by_ours".into(), second.into())),
        "{providers:?}"
    );
    assert!(
        providers.contains(&("launchdarkly_access_token.by_official".into(), ADDR.into())),
        "{providers:?}"
    );
    ok(
        lab.wd
            .run_env(&["destroy", "-auto-approve", "-no-color"], &vars),
        "destroy",
    );
    assert!(names(&lab.emu).is_empty() && names(&other).is_empty());
    println!("side by side: {providers:?}");
}

#[test]
fn debug_mode_serves_under_the_second_address_it_prints() {
    let second = "terraform.example.com/acme/launchdarkly";
    let (mut child, reattach) = start_debug_provider(&["--address", second]);
    let Some(reattach) = reattach else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("no TF_REATTACH_PROVIDERS line");
    };
    let wd = Workdir::new(&format!(
        "terraform {{\n  required_providers {{\n    launchdarkly-tokens = {{\n      source = \"{second}\"\n    }}\n  }}\n}}\n"
    ));
    let out = schema_from_debug_provider(&wd, &reattach, child);
    let j: serde_json::Value = serde_json::from_str(&reattach).expect("reattach JSON");
    assert!(j.get(second).is_some(), "the printed address: {reattach}");
    assert!(out.status.success(), "{}", text(&out));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("schema");
    assert!(
        schema["provider_schemas"][second]["resource_schemas"]
            .get("launchdarkly_access_token")
            .is_some(),
        "Terraform used the reattached provider at {second}"
    );
    // Without --debug the flag is refused (Terraform starts the plugin with none).
    let o = std::process::Command::new(provider_binary())
        .args(["--address", second])
        .output()
        .expect("run");
    assert!(!o.status.success(), "--address needs --debug");
    println!("debug mode: TF_REATTACH_PROVIDERS serves {second}");
}
