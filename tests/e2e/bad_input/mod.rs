//! The bad-input table (issue 14): wrong values across the provider block, the
//! `launchdarkly_access_token` resource and both token data sources, through the real
//! Terraform. Each case fails at the first step that can know the value — `validate`,
//! else `plan` (values unknown at validate time, credentials), else `apply` (values unknown
//! until then) — with exactly one error diagnostic that names its attribute (Terraform's
//! snippet shows the attribute's line, or its block when the attribute is absent), without
//! a single API request reaching the emulator, and without "panic" or "crashed" anywhere in
//! the output. The earlier steps must succeed, which shows the value really was unknown
//! there.
//!
//! Cases already covered elsewhere are not repeated: `access_token/failures.rs`
//! (`invalid_configurations_fail_validate_with_paths_and_no_api_call`),
//! `provider_config.rs` (`invalid_provider_settings_are_reported_with_the_attribute`,
//! missing credentials with a resource), `data_sources.rs`
//! (`invalid_arguments_fail_validation_with_their_attribute`) and `reliability.rs` (a path in
//! `api_host`).

mod data_sources;
mod ephemeral_and_list;
mod provider;
mod resource;

use crate::support::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// `terraform validate` fails.
    Validate,
    /// `validate` passes (the value is unknown there, or it is a configure-time check);
    /// `terraform plan` fails.
    Plan,
    /// `plan` passes (the value is unknown until apply); `terraform apply` fails.
    Apply,
}

struct Case {
    name: &'static str,
    stage: Stage,
    /// The body of `provider "launchdarkly" { … }`.
    provider: &'static str,
    /// Resources, data sources and variables.
    body: &'static str,
    /// Extra environment (the lab already sets the API host and the admin key).
    env: &'static [(&'static str, &'static str)],
    /// The one error's summary (empty: any).
    summary: &'static str,
    /// What the error's snippet must show: the attribute's line, or the enclosing block
    /// when the attribute is absent; empty for provider-level errors without a location.
    at: &'static str,
    /// What the error's detail must say (attribute names, the bad value, the fix).
    says: &'static [&'static str],
}

const NO_ENV: &[(&str, &str)] = &[];
const NO_CREDENTIALS: &[(&str, &str)] = &[
    ("LAUNCHDARKLY_ACCESS_TOKEN", ""),
    ("LAUNCHDARKLY_OAUTH_TOKEN", ""),
];

const TOKEN: &str =
    "resource \"launchdarkly_access_token\" \"ok\" {\n  name = \"ok\"\n  role = \"reader\"\n}";
const LIST: &str = "data \"launchdarkly_access_tokens\" \"all\" {}";

fn main_tf(c: &Case) -> String {
    format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{\n  {}\n}}\n\n{}\n",
        c.provider, c.body
    )
}

fn args(stage: Stage) -> &'static [&'static str] {
    match stage {
        Stage::Validate => &["validate", "-json", "-no-color"],
        Stage::Plan => &["plan", "-json", "-input=false", "-no-color"],
        Stage::Apply => &[
            "apply",
            "-auto-approve",
            "-json",
            "-input=false",
            "-no-color",
        ],
    }
}

fn check(lab: &Lab, c: &Case) {
    let name = c.name;
    lab.wd.write("main.tf", &main_tf(c));
    lab.emu.clear_requests();
    let mut outputs = Vec::new();
    // The steps before the failing one succeed: the value is unknown there.
    for earlier in [Stage::Validate, Stage::Plan]
        .into_iter()
        .take_while(|s| *s != c.stage)
    {
        let o = lab.wd.run_env(args(earlier), c.env);
        assert!(
            o.status.success(),
            "{name}: {earlier:?} must pass (the value is not known yet):\n{}",
            text(&o)
        );
        outputs.push(text(&o));
    }
    let o = lab.wd.run_env(args(c.stage), c.env);
    let all = text(&o);
    assert!(
        !o.status.success(),
        "{name}: {:?} must fail:\n{all}",
        c.stage
    );
    outputs.push(all.clone());
    for out in &outputs {
        let lower = out.to_lowercase();
        assert!(
            !lower.contains("panic") && !lower.contains("crashed"),
            "{name}: a crash:\n{out}"
        );
        assert!(
            !out.contains(lab.emu.admin_key()),
            "{name}: the credential was echoed:\n{out}"
        );
    }
    let errors: Vec<serde_json::Value> = json_diagnostics(&o)
        .into_iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "{name}: exactly one error diagnostic expected, got {errors:#?}\n{all}"
    );
    let d = &errors[0];
    if !c.summary.is_empty() {
        assert_eq!(d["summary"], c.summary, "{name}: {d:#}");
    }
    let code = d["snippet"]["code"].as_str().unwrap_or_default();
    assert!(
        code.contains(c.at),
        "{name}: the diagnostic must point at {:?}, its snippet is {code:?}: {d:#}",
        c.at
    );
    let detail = d["detail"].as_str().unwrap_or_default();
    for needle in c.says {
        assert!(
            detail.contains(needle),
            "{name}: the detail must mention {needle:?}: {detail}"
        );
    }
    assert!(
        lab.emu.requests().is_empty(),
        "{name}: no API request may be sent for a bad configuration: {:?}",
        lab.emu.requests()
    );
}

fn run_table(cases: &[Case]) {
    let lab = Lab::without_resources();
    let started = std::time::Instant::now();
    for c in cases {
        check(&lab, c);
    }
    println!(
        "{} bad-input cases: each one diagnostic at its attribute, 0 API requests ({:.1} s)",
        cases.len(),
        started.elapsed().as_secs_f64()
    );
}
