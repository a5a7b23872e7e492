//! `--debug`: the provider serves without cookie or TLS and prints a
//! TF_REATTACH_PROVIDERS value that Terraform can use as printed.

use crate::support::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn debug_mode_prints_a_working_reattach_value() {
    let mut child = Command::new(provider_binary())
        .arg("--debug")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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
    let reattach = reattach.expect("a TF_REATTACH_PROVIDERS line");
    let j: serde_json::Value = serde_json::from_str(&reattach).expect("reattach JSON");
    let entry = &j["registry.terraform.io/launchdarkly/launchdarkly"];
    assert_eq!(entry["Test"], true);
    assert_eq!(entry["ProtocolVersion"], 5);
    assert_eq!(entry["Pid"], child.id());

    let wd = Workdir::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n"
    ));
    let out = wd.run_env(
        &["providers", "schema", "-json"],
        &[("TF_REATTACH_PROVIDERS", &reattach)],
    );
    let _ = child.kill();
    let _ = child.wait();
    assert!(out.status.success(), "{}", text(&out));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("schema");
    assert!(schema["provider_schemas"]["registry.terraform.io/launchdarkly/launchdarkly"]["resource_schemas"]
        .get("launchdarkly_access_token")
        .is_some());
}
