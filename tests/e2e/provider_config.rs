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

const TOKEN_RESOURCE: &str = r#"
resource "launchdarkly_access_token" "t" {
  name = "t"
  role = "reader"
}
"#;

#[test]
fn invalid_provider_settings_are_reported_with_the_attribute() {
    let cases: &[(&str, &str, &str)] = &[
        ("api_host = \"ftp://x\"", "Invalid api_host", "api_host"),
        (
            "api_host = \"http://ld.example.com\"",
            "Invalid api_host",
            "api_host",
        ),
        ("http_timeout = -1", "Invalid http_timeout", "http_timeout"),
        (
            "max_concurrency = 1.5",
            "Invalid max_concurrency",
            "max_concurrency",
        ),
    ];
    for (setting, summary, attr) in cases {
        let wd = Workdir::new(&format!(
            "{}{TOKEN_RESOURCE}",
            config(&format!("  access_token = \"api-x\"\n  {setting}"))
        ));
        for cmd in [
            &["validate", "-json"][..],
            &["plan", "-json", "-input=false"][..],
        ] {
            let o = wd.run(cmd);
            assert!(!o.status.success(), "{setting}: {cmd:?} must fail");
            let out = String::from_utf8_lossy(&o.stdout).to_string();
            // validate -json prints one document; plan -json prints JSON lines.
            let docs: Vec<serde_json::Value> = match serde_json::from_str(&out) {
                Ok(j) => vec![j],
                Err(_) => out
                    .lines()
                    .filter_map(|l| serde_json::from_str(l).ok())
                    .collect(),
            };
            let found = docs.iter().any(|j| {
                let diags = j["diagnostics"].as_array().cloned().unwrap_or_default();
                let single = j.get("diagnostic").cloned().into_iter();
                diags.into_iter().chain(single).any(|d| {
                    d["summary"] == *summary
                        && d["snippet"]["code"]
                            .as_str()
                            .unwrap_or_default()
                            .contains(attr)
                })
            });
            assert!(
                found,
                "{setting}: {cmd:?} must report {summary:?} at {attr}:\n{out}"
            );
        }
    }
}

#[test]
fn missing_credentials_fail_at_configure_naming_attributes_and_env_vars() {
    let wd = Workdir::new(&format!(
        "{}{TOKEN_RESOURCE}",
        config("  api_host = \"http://127.0.0.1:9\"")
    ));
    ok(
        wd.run(&["validate", "-no-color"]),
        "validate does not need credentials",
    );
    let o = wd.run(&["plan", "-no-color", "-input=false"]);
    assert!(!o.status.success());
    let t = text(&o);
    assert!(t.contains("Missing LaunchDarkly credentials"), "{t}");
    for needle in [
        "access_token",
        "oauth_token",
        "LAUNCHDARKLY_ACCESS_TOKEN",
        "LAUNCHDARKLY_OAUTH_TOKEN",
    ] {
        assert!(t.contains(needle), "{needle} missing from:\n{t}");
    }
}

#[test]
fn secrets_never_reach_terraform_logs() {
    // Credentials in config and env, trace logging on: neither appears.
    let secret_cfg = "api-11111111-2222-4333-8444-555555555555";
    let secret_env = "api-66666666-7777-4888-9999-000000000000";
    let wd = Workdir::new(&format!(
        "{}{TOKEN_RESOURCE}",
        config(&format!(
            "  access_token = \"{secret_cfg}\"\n  api_host = \"http://127.0.0.1:9\"\n  http_timeout = 1"
        ))
    ));
    let o = wd.run_env(
        &["plan", "-no-color", "-input=false", "-refresh=false"],
        &[
            ("TF_LOG", "trace"),
            ("LAUNCHDARKLY_OAUTH_TOKEN", secret_env),
        ],
    );
    let t = text(&o);
    assert!(
        t.contains("provider configured"),
        "provider log lines expected:\n{t}"
    );
    assert!(
        t.contains("Two LaunchDarkly credentials configured")
            && t.contains("credential=oauth_token"),
        "both credentials present: a warning names both sources:\n{t}"
    );
    assert!(
        !t.contains(secret_cfg) && !t.contains(secret_env),
        "a credential leaked into the log"
    );
}

/// The redesign guard (issue 13): `terraform providers schema -json` stays byte-for-byte
/// what `tests/golden/providers-schema.json` records. Regenerate deliberately with
/// `UPDATE_GOLDEN=1 cargo test --test e2e schema_json_matches_the_golden_file`.
#[test]
fn schema_json_matches_the_golden_file() {
    let wd = Workdir::new(&config(""));
    let out = wd.run(&["providers", "schema", "-json"]);
    assert!(out.status.success(), "{}", text(&out));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("schema JSON");
    let mut ours = j["provider_schemas"]["registry.terraform.io/launchdarkly/launchdarkly"].clone();
    assert!(ours.is_object(), "{j}");
    // Terraform 1.0 prints a data source's "version" from the managed resource of the same
    // name (1 for launchdarkly_access_token); data sources have no schema version, so drop it.
    if let Some(ds) = ours["data_source_schemas"].as_object_mut() {
        for schema in ds.values_mut() {
            schema.as_object_mut().map(|o| o.remove("version"));
        }
    }
    // Newer Terraform prints more (1.12+: identity schemas; 1.14+: list resource schemas);
    // those have e2e tests of their own. The golden file pins what 1.11 prints.
    if let Some(o) = ours.as_object_mut() {
        o.retain(|k, _| {
            [
                "provider",
                "resource_schemas",
                "data_source_schemas",
                "ephemeral_resource_schemas",
            ]
            .contains(&k.as_str())
        });
    }
    // Terraform 1.15 also prints `deprecation_message` (checked by
    // `deprecation::policy_statements_deprecation_message_is_in_the_schema_terraform_reads`).
    strip_key(&mut ours, "deprecation_message");
    let got = serde_json::to_string_pretty(&ours).expect("pretty") + "\n";
    let golden =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/providers-schema.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).expect("write golden");
    }
    let mut want = std::fs::read_to_string(&golden).expect("read golden");
    let (major, minor, _) = terraform_version();
    if major == 1 && minor < 10 {
        // Terraform before 1.10 knows no ephemeral resources and does not print them.
        let mut v: serde_json::Value = serde_json::from_str(&want).expect("golden JSON");
        v.as_object_mut()
            .map(|o| o.remove("ephemeral_resource_schemas"));
        want = serde_json::to_string_pretty(&v).expect("pretty") + "\n";
    }
    assert!(
        got == want,
        "the provider schema changed; if on purpose, regenerate {} (see the test's doc)",
        golden.display()
    );
}

/// Removes `key` from every object inside `v`.
fn strip_key(v: &mut serde_json::Value, key: &str) {
    match v {
        serde_json::Value::Object(o) => {
            o.remove(key);
            o.values_mut().for_each(|x| strip_key(x, key));
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| strip_key(x, key)),
        _ => {}
    }
}
