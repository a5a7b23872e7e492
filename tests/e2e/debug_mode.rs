//! `--debug`: the provider serves without cookie or TLS and prints a
//! TF_REATTACH_PROVIDERS value that Terraform can use as printed.

use crate::support::*;

#[test]
fn debug_mode_prints_a_working_reattach_value() {
    let (child, reattach) = start_debug_provider(&[]);
    let reattach = reattach.expect("a TF_REATTACH_PROVIDERS line");
    let j: serde_json::Value = serde_json::from_str(&reattach).expect("reattach JSON");
    let entry = &j["registry.terraform.io/launchdarkly/launchdarkly"];
    assert_eq!(entry["Test"], true);
    assert_eq!(entry["ProtocolVersion"], 5);
    assert_eq!(entry["Pid"], child.id());

    let wd = Workdir::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n"
    ));
    let out = schema_from_debug_provider(&wd, &reattach, child);
    assert!(out.status.success(), "{}", text(&out));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("schema");
    assert!(schema["provider_schemas"]["registry.terraform.io/launchdarkly/launchdarkly"]["resource_schemas"]
        .get("launchdarkly_access_token")
        .is_some());
}
