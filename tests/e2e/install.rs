//! Install paths of the release made by `scripts/release.sh` (see `release.rs`), each with
//! `terraform init` + `apply` + `destroy` on the emulator: a filesystem mirror in packed
//! layout (the zip as is), the unpacked layout, a provider registry serving the signed
//! SHA256SUMS (where `init` itself records the `zh:` hash), and a second source address
//! beside "the official provider" (a second copy of ours stands in for it).
//!
//! `dev_overrides` is the install path of every other e2e test: `support::Workdir` writes
//! the override, and e.g. `examples::quickstart_applies_plans_clean_and_destroys` applies
//! and destroys through it.

mod mirrors;
mod registry;
mod second_address;

use std::path::Path;

use crate::release::VERSION;
use crate::support::*;

const ADDR: &str = "registry.terraform.io/launchdarkly/launchdarkly";

fn main_tf(source: &str) -> String {
    format!(
        r#"terraform {{
  required_providers {{
    launchdarkly = {{
      source  = "{source}"
      version = "= {VERSION}"
    }}
  }}
}}

provider "launchdarkly" {{}}

resource "launchdarkly_access_token" "installed" {{
  name = "installed-from-release"
  role = "reader"
}}
"#
    )
}

/// A CLI configuration installing `addresses` from the filesystem mirror only.
fn mirror_rc(mirror: &Path, addresses: &[&str]) -> String {
    let list = addresses
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [{list}]\n  }}\n  direct {{\n    exclude = [{list}]\n  }}\n}}\n",
        mirror.display()
    )
}

fn lock_hashes(wd: &Workdir, address: &str) -> Vec<String> {
    let lock = std::fs::read_to_string(wd.path().join(".terraform.lock.hcl")).expect("lock file");
    let block = lock
        .split("provider \"")
        .find(|b| b.starts_with(&format!("{address}\"")))
        .unwrap_or_else(|| panic!("no lock entry for {address}:\n{lock}"));
    let re = regex::Regex::new(r#""((?:h1|zh):[^"]+)""#).expect("regex");
    re.captures_iter(block).map(|c| c[1].to_owned()).collect()
}

fn init(wd: &Workdir, extra: &[(&str, &str)]) -> String {
    ok(
        wd.run_env(&["init", "-input=false", "-no-color"], extra),
        "terraform init",
    )
}

/// Apply creates the token on the emulator, a second plan is clean, destroy removes it.
fn apply_and_destroy(lab: &Lab, extra: &[(&str, &str)]) {
    let out = ok(
        lab.wd.run_env(
            &["apply", "-auto-approve", "-input=false", "-no-color"],
            extra,
        ),
        "terraform apply",
    );
    assert!(out.contains("1 added"), "{out}");
    let tokens = lab.server_tokens();
    assert_eq!(tokens.len(), 1, "one token on the emulator");
    assert_eq!(tokens[0].name.as_deref(), Some("installed-from-release"));
    lab.assert_server_matches_state();
    ok(
        lab.wd
            .run_env(&["destroy", "-auto-approve", "-no-color"], extra),
        "terraform destroy",
    );
    assert!(lab.server_tokens().is_empty(), "destroy removed the token");
}
