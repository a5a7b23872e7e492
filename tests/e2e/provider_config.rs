//! The provider block through the real Terraform: schema, validate, plan,
//! and logging as Terraform sees it.

use crate::support::*;

fn config(provider_block: &str) -> String {
    format!("{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{\n{provider_block}\n}}\n")
}

#[test]
fn schema_json_shows_provider_attributes_and_sensitive_tokens() {
    let wd = Workdir::new(&config(
        "  access_token = \"api-00000000-0000-4000-8000-000000000000\"",
    ));
    let out = wd.run(&["providers", "schema", "-json"]);
    assert!(out.status.success(), "{}", text(&out));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("schema JSON");
    let attrs = &j["provider_schemas"]["registry.terraform.io/launchdarkly/launchdarkly"]["provider"]
        ["block"]["attributes"];
    for name in [
        "access_token",
        "oauth_token",
        "api_host",
        "http_timeout",
        "max_concurrency",
    ] {
        assert!(
            attrs.get(name).is_some(),
            "provider attribute {name} missing: {attrs}"
        );
        assert_eq!(attrs[name]["optional"], true, "{name} optional");
    }
    assert_eq!(attrs["access_token"]["sensitive"], true);
    assert_eq!(attrs["oauth_token"]["sensitive"], true);
    assert!(attrs["api_host"].get("sensitive").is_none());
    assert_eq!(attrs["http_timeout"]["type"], "number");
}

#[test]
fn validate_and_plan_succeed_and_provider_logs_are_parsed() {
    let wd = Workdir::new(&config(
        "  access_token = \"api-00000000-0000-4000-8000-000000000000\"\n  api_host = \"http://127.0.0.1:1\"",
    ));
    ok(wd.run(&["validate", "-no-color"]), "terraform validate");
    let out = wd.run_env(
        &["plan", "-no-color", "-input=false"],
        &[("TF_LOG", "trace")],
    );
    let t = ok(out, "terraform plan");
    assert!(
        !t.contains("plugin failed to exit gracefully"),
        "provider did not exit within 2 s:\n{t}"
    );
    // Our JSON lines are parsed by go-plugin: they appear at their level
    // with the message, not as a raw JSON blob.
    let parsed = t.lines().any(|l| {
        l.contains(
            "[INFO]  provider.terraform-provider-launchdarkly: provider serving plugin protocol 5",
        ) && l.contains("@module=provider.launchdarkly")
    });
    assert!(
        parsed,
        "provider JSON log line not parsed by Terraform:\n{t}"
    );
    assert!(
        !t.contains("provider.terraform-provider-launchdarkly: {\"@level\""),
        "raw JSON logged:\n{t}"
    );
    assert!(
        !t.contains("api-00000000-0000-4000-8000-000000000000"),
        "secret appeared in the log"
    );
}
