//! Install paths of the release made by `scripts/release.sh` (see `release.rs`), each with
//! `terraform init` + `apply` + `destroy` on the emulator: a filesystem mirror in packed
//! layout (the zip as is), the unpacked layout, a provider registry serving the signed
//! SHA256SUMS (where `init` itself records the `zh:` hash), and a second source address
//! beside "the official provider" (a second copy of ours stands in for it).
//!
//! `dev_overrides` is the install path of every other e2e test: `support::Workdir` writes
//! the override, and e.g. `examples::quickstart_applies_plans_clean_and_destroys` applies
//! and destroys through it.

use std::path::Path;

use crate::local_registry::{Package, Registry};
use crate::release::{SUMS, VERSION, ZIP, release, release_sh, sums};
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

#[test]
fn packed_filesystem_mirror_installs_the_release_zip_checked_against_sha256sums() {
    let r = release();
    let zh = format!("zh:{}", sums(r)[ZIP]);
    let lab = Lab::new(&main_tf("launchdarkly/launchdarkly"));
    let mirror = lab.wd.path().join("mirror");
    let dir = mirror.join(ADDR);
    std::fs::create_dir_all(&dir).expect("mirror dir");
    std::fs::copy(r.out.join(ZIP), dir.join(ZIP)).expect("copy zip");
    lab.wd.write("dev.tfrc", &mirror_rc(&mirror, &[ADDR]));

    // A lock file whose zh: hash is not the zip's: init refuses the package.
    let lock = |hash: &str| {
        format!(
            "provider \"{ADDR}\" {{\n  version = \"{VERSION}\"\n  hashes = [\n    \"{hash}\",\n  ]\n}}\n"
        )
    };
    lab.wd.write(
        ".terraform.lock.hcl",
        &lock(&format!("zh:{}", "0".repeat(64))),
    );
    let refused = lab.wd.run(&["init", "-input=false", "-no-color"]);
    assert!(!refused.status.success(), "a wrong zh: hash must fail init");
    assert!(text(&refused).contains("checksum"), "{}", text(&refused));

    // The lock file a team commits after installing from the registry carries the
    // SHA256SUMS hash; the mirror's zip matches it and init adds the h1: hash.
    lab.wd.write(".terraform.lock.hcl", &lock(&zh));
    let out = init(&lab.wd, &[]);
    assert!(
        out.contains(&format!("Installed launchdarkly/launchdarkly v{VERSION}")),
        "{out}"
    );
    let hashes = lab_hashes(&lab);
    assert!(hashes.contains(&zh), "lock keeps {zh}: {hashes:?}");
    assert!(
        hashes.iter().any(|h| h.starts_with("h1:")),
        "init adds h1: {hashes:?}"
    );
    apply_and_destroy(&lab, &[]);
    println!("packed mirror: init ok, lock {hashes:?} carries the SHA256SUMS hash {zh}");
}

fn lab_hashes(lab: &Lab) -> Vec<String> {
    lock_hashes(&lab.wd, ADDR)
}

/// Unzips `zip` into `dest` (python3's zipfile, restoring the executable bit it drops).
fn unzip(zip: &Path, dest: &Path) {
    let o = std::process::Command::new("python3")
        .args([
            "-c",
            "import os, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor i in z.infolist():\n    p = z.extract(i, sys.argv[2])\n    os.chmod(p, (i.external_attr >> 16) & 0o777)",
        ])
        .arg(zip)
        .arg(dest)
        .output()
        .expect("python3");
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn unpacked_filesystem_mirror_installs_the_release_and_matches_the_packed_hash() {
    let r = release();
    let lab = Lab::new(&main_tf("launchdarkly/launchdarkly"));
    let mirror = lab.wd.path().join("mirror");
    let dir = mirror.join(ADDR).join(VERSION).join("linux_amd64");
    std::fs::create_dir_all(&dir).expect("mirror dir");
    unzip(&r.out.join(ZIP), &dir);
    lab.wd.write("dev.tfrc", &mirror_rc(&mirror, &[ADDR]));
    let out = init(&lab.wd, &[]);
    assert!(
        out.contains(&format!("Installed launchdarkly/launchdarkly v{VERSION}")),
        "{out}"
    );
    let unpacked = lab_hashes(&lab);
    assert!(
        unpacked.iter().any(|h| h.starts_with("h1:")),
        "{unpacked:?}"
    );
    apply_and_destroy(&lab, &[]);

    // The same lock file accepts the packed zip: both layouts hold the same package.
    let packed = lab.wd.path().join("packed");
    std::fs::create_dir_all(packed.join(ADDR)).expect("dir");
    std::fs::copy(r.out.join(ZIP), packed.join(ADDR).join(ZIP)).expect("copy");
    lab.wd.write("dev.tfrc", &mirror_rc(&packed, &[ADDR]));
    std::fs::remove_dir_all(lab.wd.path().join(".terraform")).expect("rm .terraform");
    init(&lab.wd, &[]);
    assert_eq!(
        lab_hashes(&lab),
        unpacked,
        "packed and unpacked: one h1: hash"
    );
    println!(
        "unpacked mirror: init + apply + destroy ok, lock {unpacked:?} also verifies the packed zip"
    );
}

#[test]
fn registry_install_verifies_the_signature_and_locks_the_zh_hash_of_sha256sums() {
    let r = release();
    let (Some(home), Some(key)) = (&r.gnupg, &r.key) else {
        println!("skipped: gpg is not installed, so the release is unsigned");
        return;
    };
    let armor = std::process::Command::new("gpg")
        .env("GNUPGHOME", home)
        .args(["--batch", "--armor", "--export", key])
        .output()
        .expect("gpg --export");
    assert!(armor.status.success(), "{}", text(&armor));
    let key_id = key[key.len() - 16..].to_owned();
    let Some(reg) = Registry::start(Package {
        namespace: "launchdarkly".into(),
        kind: "launchdarkly".into(),
        version: VERSION.into(),
        dist: r.out.clone(),
        zip: ZIP.into(),
        sums: SUMS.into(),
        key_armor: String::from_utf8_lossy(&armor.stdout).into_owned(),
        key_id: key_id.clone(),
    }) else {
        return;
    };
    let address = format!("{}/launchdarkly/launchdarkly", reg.host);
    let lab = Lab::new(&main_tf(&address));
    lab.wd
        .write("dev.tfrc", "provider_installation {\n  direct {}\n}\n");
    let cert = reg.cert.display().to_string();
    let env = [("SSL_CERT_FILE", cert.as_str())];
    let out = init(&lab.wd, &env);
    assert!(out.contains(&format!("key ID {key_id}")), "{out}");
    let hashes = lock_hashes(&lab.wd, &address);
    let zh = format!("zh:{}", sums(r)[ZIP]);
    assert!(
        hashes.contains(&zh),
        "init records the SHA256SUMS hash {zh}: {hashes:?}"
    );
    assert!(hashes.iter().any(|h| h.starts_with("h1:")), "{hashes:?}");
    let requested = reg.requests.lock().expect("requests").clone();
    for f in [ZIP.to_owned(), SUMS.to_owned(), format!("{SUMS}.sig")] {
        assert!(
            requested.contains(&format!("/files/{f}")),
            "Terraform fetched {f}: {requested:?}"
        );
    }
    apply_and_destroy(&lab, &env);
    println!("registry: signature by key ID {key_id} accepted, lock {hashes:?}");
}

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
    use std::io::{BufRead, BufReader};
    let second = "terraform.example.com/acme/launchdarkly";
    let mut child = std::process::Command::new(provider_binary())
        .args(["--debug", "--address", second])
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn --debug");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut reattach = None;
    for _ in 0..10 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if let Some(v) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
            reattach = Some(v.trim_end_matches('\'').to_string());
            break;
        }
    }
    let Some(reattach) = reattach else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("no TF_REATTACH_PROVIDERS line");
    };
    let wd = Workdir::new(&format!(
        "terraform {{\n  required_providers {{\n    launchdarkly-tokens = {{\n      source = \"{second}\"\n    }}\n  }}\n}}\n"
    ));
    let out = wd.run_env(
        &["providers", "schema", "-json"],
        &[("TF_REATTACH_PROVIDERS", &reattach)],
    );
    let _ = child.kill();
    let _ = child.wait();
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
