//! The ephemeral `launchdarkly_access_token` through the real Terraform (1.10 and later; the
//! suite skips it, saying why, on older versions).

use crate::support::*;

pub(crate) fn supports_ephemeral() -> bool {
    terraform_at_least(10, "ephemeral resources need Terraform >= 1.10")
}

pub(crate) const CONFIG: &str = r#"
provider "launchdarkly" {}

ephemeral "launchdarkly_access_token" "ci" {
  name          = "ephemeral-ci"
  description   = "for one run"
  role          = "reader"
  service_token = true
}

provider "launchdarkly" {
  alias        = "scoped"
  access_token = ephemeral.launchdarkly_access_token.ci.token
}

data "launchdarkly_access_tokens" "seen" {
  provider = launchdarkly.scoped
}

output "seen" {
  value = length(data.launchdarkly_access_tokens.seen.tokens)
}
"#;

/// Every `api-…` secret-shaped string in `bytes` (the emulator's secrets are `api-<uuid>`).
fn secrets_in(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let re = regex::Regex::new(r"api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
        .expect("regex");
    re.find_iter(&text)
        .map(|m| m.as_str().to_string())
        .collect()
}

/// The members of the saved plan (a zip file), concatenated, via Python's zipfile.
fn unzipped(path: &std::path::Path) -> Vec<u8> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor n in z.namelist():\n    sys.stdout.buffer.write(z.read(n))",
        ])
        .arg(path)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn an_ephemeral_token_configures_an_aliased_provider_and_is_gone_after_the_run() {
    if !supports_ephemeral() {
        return;
    }
    let lab = Lab::new(&format!("{REQUIRED_PROVIDERS}{CONFIG}"));
    let admin_last4: String = lab
        .emu
        .admin_key()
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    ok(
        lab.wd
            .run(&["plan", "-input=false", "-no-color", "-out", "p.bin"]),
        "plan -out",
    );
    assert!(lab.server_tokens().is_empty(), "closed after the plan");
    let out = lab.apply_saved_plan("p.bin");
    assert!(
        out.contains("seen = "),
        "the scoped provider read the token list:\n{out}"
    );
    assert!(
        lab.server_tokens().is_empty(),
        "no token is left after the run"
    );

    let log = lab.emu.requests();
    let created = log
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v2/tokens" && r.status == 201)
        .count();
    let deleted = log
        .iter()
        .filter(|r| {
            r.method == "DELETE" && r.path.starts_with("/api/v2/tokens/") && r.status == 204
        })
        .count();
    assert!(created >= 1, "{log:?}");
    assert_eq!(created, deleted, "every opened token was closed: {log:?}");
    let scoped_lists = log
        .iter()
        .filter(|r| {
            r.method == "GET"
                && r.path == "/api/v2/tokens"
                && r.credential_last4
                    .as_deref()
                    .is_some_and(|l| l != admin_last4)
        })
        .count();
    assert!(
        scoped_lists >= 1,
        "the data source read used the ephemeral token: {log:?}"
    );

    // No secret in the saved plan or the state.
    let plan_secrets = secrets_in(&unzipped(&lab.wd.path().join("p.bin")));
    assert!(
        plan_secrets.is_empty(),
        "secrets in the plan file: {}",
        plan_secrets.len()
    );
    let state = std::fs::read(lab.wd.path().join("terraform.tfstate")).unwrap_or_default();
    assert!(secrets_in(&state).is_empty(), "a secret in the state");
    // The state holds the data source's read (it saw the token while it existed, with its
    // four-character suffix only) but no object of the ephemeral resource.
    let state_json: serde_json::Value = serde_json::from_slice(&state).expect("state JSON");
    let modes: Vec<&str> = state_json["resources"]
        .as_array()
        .map(|rs| rs.iter().filter_map(|r| r["mode"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(modes, ["data"], "only the data source is in state");
    lab.assert_no_changes("after the ephemeral run");
}

#[test]
fn an_ephemeral_token_is_validated_like_the_managed_resource() {
    if !supports_ephemeral() {
        return;
    }
    let lab = Lab::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\nephemeral \"launchdarkly_access_token\" \"bad\" {{\n  name = \"x\"\n  role = \"owner\"\n}}\n"
    ));
    let o = lab.wd.run(&["validate", "-no-color"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("Invalid role"), "{out}");
    assert!(out.contains("role"), "the attribute is named:\n{out}");
    assert!(lab.emu.requests().is_empty(), "no API call");
}
