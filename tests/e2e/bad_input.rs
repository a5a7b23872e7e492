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
//! Cases already covered elsewhere are not repeated: `access_token.rs`
//! (`invalid_configurations_fail_validate_with_paths_and_no_api_call`),
//! `provider_config.rs` (`invalid_provider_settings_are_reported_with_the_attribute`,
//! missing credentials with a resource), `data_sources.rs`
//! (`invalid_arguments_fail_validation_with_their_attribute`) and `reliability.rs` (a path in
//! `api_host`).

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
    let lab = Lab::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n"
    ));
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

#[test]
fn bad_input_provider_block() {
    run_table(&[
        Case {
            name: "api_host with a query",
            stage: Stage::Validate,
            provider: "api_host = \"https://app.launchdarkly.com?x=1\"",
            body: TOKEN,
            env: NO_ENV,
            summary: "Invalid api_host",
            at: "api_host = \"https://app.launchdarkly.com?x=1\"",
            says: &["query or fragment"],
        },
        Case {
            name: "api_host with a fragment",
            stage: Stage::Validate,
            provider: "api_host = \"https://app.launchdarkly.com#top\"",
            body: TOKEN,
            env: NO_ENV,
            summary: "Invalid api_host",
            at: "api_host = \"https://app.launchdarkly.com#top\"",
            says: &["query or fragment"],
        },
        Case {
            name: "api_host without a host",
            stage: Stage::Validate,
            provider: "api_host = \"https://\"",
            body: TOKEN,
            env: NO_ENV,
            summary: "Invalid api_host",
            at: "api_host = \"https://\"",
            says: &["empty host"],
        },
        Case {
            name: "api_host with a port out of range",
            stage: Stage::Validate,
            provider: "api_host = \"https://app.launchdarkly.com:99999\"",
            body: LIST,
            env: NO_ENV,
            summary: "Invalid api_host",
            at: "api_host = \"https://app.launchdarkly.com:99999\"",
            says: &["port"],
        },
        Case {
            name: "api_host with a space in the host",
            stage: Stage::Validate,
            provider: "api_host = \"https://app launchdarkly.com\"",
            body: LIST,
            env: NO_ENV,
            summary: "Invalid api_host",
            at: "api_host = \"https://app launchdarkly.com\"",
            says: &["not a valid URL"],
        },
        Case {
            name: "access_token with trailing whitespace",
            stage: Stage::Validate,
            provider: "access_token = \"api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b \"",
            body: TOKEN,
            env: NO_ENV,
            summary: "Invalid access_token",
            at: "access_token =",
            says: &["whitespace"],
        },
        Case {
            name: "oauth_token with leading whitespace",
            stage: Stage::Validate,
            provider: "oauth_token = \"\\tbearer-value\"",
            body: LIST,
            env: NO_ENV,
            summary: "Invalid oauth_token",
            at: "oauth_token =",
            says: &["whitespace"],
        },
        Case {
            name: "fractional http_timeout",
            stage: Stage::Validate,
            provider: "http_timeout = 2.5",
            body: TOKEN,
            env: NO_ENV,
            summary: "Invalid http_timeout",
            at: "http_timeout = 2.5",
            says: &["whole number", "2.5"],
        },
        Case {
            name: "negative max_concurrency",
            stage: Stage::Validate,
            provider: "max_concurrency = -3",
            body: TOKEN,
            env: NO_ENV,
            summary: "Invalid max_concurrency",
            at: "max_concurrency = -3",
            says: &["-3"],
        },
        Case {
            name: "http_timeout of the wrong type",
            stage: Stage::Validate,
            provider: "http_timeout = \"soon\"",
            body: TOKEN,
            env: NO_ENV,
            summary: "Incorrect attribute value type",
            at: "http_timeout = \"soon\"",
            says: &["http_timeout", "number"],
        },
        Case {
            name: "allow_insecure_http of the wrong type",
            stage: Stage::Validate,
            provider: "allow_insecure_http = \"sometimes\"",
            body: LIST,
            env: NO_ENV,
            summary: "Incorrect attribute value type",
            at: "allow_insecure_http = \"sometimes\"",
            says: &["allow_insecure_http", "bool"],
        },
        Case {
            name: "empty access_token and empty environment (resource)",
            stage: Stage::Plan,
            provider: "access_token = \"\"",
            body: TOKEN,
            env: NO_CREDENTIALS,
            summary: "Missing LaunchDarkly credentials",
            at: "",
            says: &[
                "access_token",
                "oauth_token",
                "LAUNCHDARKLY_ACCESS_TOKEN",
                "LAUNCHDARKLY_OAUTH_TOKEN",
            ],
        },
        Case {
            name: "no credentials at all (data source only)",
            stage: Stage::Plan,
            provider: "",
            body: LIST,
            env: NO_CREDENTIALS,
            summary: "Missing LaunchDarkly credentials",
            at: "",
            says: &["access_token", "LAUNCHDARKLY_ACCESS_TOKEN"],
        },
        Case {
            name: "LAUNCHDARKLY_API_HOST with a query",
            stage: Stage::Plan,
            provider: "",
            body: LIST,
            env: &[("LAUNCHDARKLY_API_HOST", "https://app.launchdarkly.com?x=1")],
            summary: "Invalid LAUNCHDARKLY_API_HOST",
            at: "",
            says: &["query or fragment"],
        },
        Case {
            // The data source must be read at plan time, with a provider it cannot configure.
            name: "api_host unknown at plan time",
            stage: Stage::Plan,
            provider: "api_host = timestamp()",
            body: LIST,
            env: NO_ENV,
            summary: "Provider not configured",
            at: "data \"launchdarkly_access_tokens\" \"all\"",
            says: &["known at plan time"],
        },
        Case {
            name: "http_timeout known only at apply",
            stage: Stage::Apply,
            provider: "http_timeout = length(timestamp()) - 100",
            body: TOKEN,
            env: NO_ENV,
            summary: "Invalid http_timeout",
            at: "http_timeout = length(timestamp()) - 100",
            says: &["-80"],
        },
    ]);
}

/// `resource "launchdarkly_access_token" "bad" { name = "bad" <body> }`.
macro_rules! token {
    ($body:literal) => {
        concat!(
            "resource \"launchdarkly_access_token\" \"bad\" {\n  name = \"bad\"\n  ",
            $body,
            "\n}"
        )
    };
}

#[test]
fn bad_input_access_token_resource() {
    run_table(&[
        Case {
            name: "empty role",
            stage: Stage::Validate,
            provider: "",
            body: token!("role = \"\""),
            env: NO_ENV,
            summary: "Invalid role",
            at: "role = \"\"",
            says: &["reader, writer or admin"],
        },
        Case {
            name: "role in the wrong case",
            stage: Stage::Validate,
            provider: "",
            body: token!("role = \"Reader\""),
            env: NO_ENV,
            summary: "Invalid role",
            at: "role = \"Reader\"",
            says: &["\"Reader\""],
        },
        Case {
            // An empty set counts as unset: no permissions at all. Terraform highlights the
            // resource (the rule concerns several attributes); the detail names them.
            name: "empty custom_roles",
            stage: Stage::Validate,
            provider: "",
            body: token!("custom_roles = []"),
            env: NO_ENV,
            summary: "Missing token permissions",
            at: "resource \"launchdarkly_access_token\" \"bad\"",
            says: &["custom_roles", "inline_roles"],
        },
        Case {
            name: "empty resources in a statement",
            stage: Stage::Validate,
            provider: "",
            body: token!(
                "inline_roles {\n    effect    = \"allow\"\n    resources = []\n    actions   = [\"*\"]\n  }"
            ),
            env: NO_ENV,
            summary: "Empty resources",
            at: "resources = []",
            says: &["at least one"],
        },
        Case {
            name: "empty not_resources in the second statement",
            stage: Stage::Validate,
            provider: "",
            body: token!(
                "inline_roles {\n    effect    = \"allow\"\n    resources = [\"proj/*\"]\n    actions   = [\"*\"]\n  }\n  inline_roles {\n    effect        = \"deny\"\n    not_resources = []\n    actions       = [\"*\"]\n  }"
            ),
            env: NO_ENV,
            summary: "Empty not_resources",
            at: "not_resources = []",
            says: &["not_resources"],
        },
        Case {
            name: "actions and not_actions together",
            stage: Stage::Validate,
            provider: "",
            body: token!(
                "inline_roles {\n    effect      = \"deny\"\n    resources   = [\"proj/*\"]\n    actions     = [\"deleteFlag\"]\n    not_actions = [\"updateOn\"]\n  }"
            ),
            env: NO_ENV,
            summary: "Conflicting actions and not_actions",
            at: "not_actions = [\"updateOn\"]",
            says: &["actions", "not_actions"],
        },
        Case {
            name: "a statement without resources",
            stage: Stage::Validate,
            provider: "",
            body: token!("inline_roles {\n    effect  = \"allow\"\n    actions = [\"*\"]\n  }"),
            env: NO_ENV,
            summary: "Missing resources",
            at: "inline_roles {",
            says: &["resources", "not_resources"],
        },
        Case {
            name: "a statement without effect",
            stage: Stage::Validate,
            provider: "",
            body: token!(
                "inline_roles {\n    resources = [\"proj/*\"]\n    actions   = [\"*\"]\n  }"
            ),
            env: NO_ENV,
            summary: "Missing required argument",
            at: "inline_roles {",
            says: &["\"effect\""],
        },
        Case {
            name: "empty actions in a deprecated policy_statements block",
            stage: Stage::Validate,
            provider: "",
            body: token!(
                "policy_statements {\n    effect    = \"allow\"\n    resources = [\"proj/*\"]\n    actions   = []\n  }"
            ),
            env: NO_ENV,
            summary: "Empty actions",
            at: "actions   = []",
            says: &["actions"],
        },
        Case {
            name: "fractional expire",
            stage: Stage::Validate,
            provider: "",
            body: token!("role   = \"reader\"\n  expire = 1.5"),
            env: NO_ENV,
            summary: "Invalid expire",
            at: "expire = 1.5",
            says: &["whole number", "1.5"],
        },
        Case {
            name: "empty rotation_grace_period",
            stage: Stage::Validate,
            provider: "",
            body: token!("role                  = \"reader\"\n  rotation_grace_period = \"\""),
            env: NO_ENV,
            summary: "Invalid rotation_grace_period",
            at: "rotation_grace_period = \"\"",
            says: &["empty"],
        },
        Case {
            name: "negative rotation_grace_period",
            stage: Stage::Validate,
            provider: "",
            body: token!("role                  = \"reader\"\n  rotation_grace_period = \"-1h\""),
            env: NO_ENV,
            summary: "Invalid rotation_grace_period",
            at: "rotation_grace_period = \"-1h\"",
            says: &["\"-1h\""],
        },
        Case {
            name: "rotation_grace_period with an unknown unit",
            stage: Stage::Validate,
            provider: "",
            body: token!("role                  = \"reader\"\n  rotation_grace_period = \"10x\""),
            env: NO_ENV,
            summary: "Invalid rotation_grace_period",
            at: "rotation_grace_period = \"10x\"",
            says: &["unit"],
        },
        Case {
            name: "rotation_grace_period too long to represent",
            stage: Stage::Validate,
            provider: "",
            body: token!(
                "role                  = \"reader\"\n  rotation_grace_period = \"99999999999999999999h\""
            ),
            env: NO_ENV,
            summary: "Invalid rotation_grace_period",
            at: "rotation_grace_period = \"99999999999999999999h\"",
            says: &["too long"],
        },
        Case {
            name: "fractional default_api_version",
            stage: Stage::Validate,
            provider: "",
            body: token!("role                = \"reader\"\n  default_api_version = 20240415.5"),
            env: NO_ENV,
            summary: "Invalid default_api_version",
            at: "default_api_version = 20240415.5",
            says: &["20240415"],
        },
        Case {
            name: "service_token of the wrong type",
            stage: Stage::Validate,
            provider: "",
            body: token!("role          = \"reader\"\n  service_token = \"maybe\""),
            env: NO_ENV,
            summary: "Incorrect attribute value type",
            at: "service_token = \"maybe\"",
            says: &["service_token", "bool"],
        },
        Case {
            name: "rotation_triggers with a list value",
            stage: Stage::Validate,
            provider: "",
            body: token!("role              = \"reader\"\n  rotation_triggers = { r = [\"1\"] }"),
            env: NO_ENV,
            summary: "Incorrect attribute value type",
            at: "rotation_triggers = { r = [\"1\"] }",
            says: &["rotation_triggers"],
        },
        Case {
            name: "id set on the resource",
            stage: Stage::Validate,
            provider: "",
            body: token!("role = \"reader\"\n  id   = \"x\""),
            env: NO_ENV,
            summary: "Invalid Configuration for Read-Only Attribute",
            at: "id   = \"x\"",
            says: &["id", "set by the provider"],
        },
        Case {
            name: "token set on the resource",
            stage: Stage::Validate,
            provider: "",
            body: token!(
                "role  = \"reader\"\n  token = \"api-00000000-0000-4000-8000-000000000000\""
            ),
            env: NO_ENV,
            summary: "Invalid Configuration for Read-Only Attribute",
            at: "token = ",
            says: &["token"],
        },
        Case {
            name: "a null resource in a statement",
            stage: Stage::Validate,
            provider: "",
            body: token!(
                "inline_roles {\n    effect    = \"allow\"\n    resources = [\"proj/*\", null]\n    actions   = [\"*\"]\n  }"
            ),
            env: NO_ENV,
            summary: "Null element in resources",
            at: "resources = [\"proj/*\", null]",
            says: &["resources"],
        },
        Case {
            name: "a null custom role",
            stage: Stage::Validate,
            provider: "",
            body: token!("custom_roles = [\"deployer\", null]"),
            env: NO_ENV,
            summary: "Null custom role",
            at: "custom_roles = [\"deployer\", null]",
            says: &["custom_roles"],
        },
        Case {
            name: "role and a policy_statements block",
            stage: Stage::Validate,
            provider: "",
            body: token!(
                "role = \"reader\"\n  policy_statements {\n    effect    = \"allow\"\n    resources = [\"proj/*\"]\n    actions   = [\"*\"]\n  }"
            ),
            env: NO_ENV,
            summary: "Conflicting token permissions",
            at: "policy_statements {",
            says: &["role", "policy_statements"],
        },
        Case {
            name: "custom_roles and an inline_roles block",
            stage: Stage::Validate,
            provider: "",
            body: token!(
                "custom_roles = [\"deployer\"]\n  inline_roles {\n    effect    = \"allow\"\n    resources = [\"proj/*\"]\n    actions   = [\"*\"]\n  }"
            ),
            env: NO_ENV,
            summary: "Conflicting token permissions",
            at: "inline_roles {",
            says: &["custom_roles", "inline_roles"],
        },
        Case {
            name: "a misspelt attribute",
            stage: Stage::Validate,
            provider: "",
            body: token!("roles = [\"reader\"]"),
            env: NO_ENV,
            summary: "Unsupported argument",
            at: "roles = [\"reader\"]",
            says: &["\"roles\""],
        },
        Case {
            // Unknown to `validate` (variables are), known to `plan`.
            name: "role from a variable",
            stage: Stage::Plan,
            provider: "",
            body: "variable \"role\" {\n  default = \"owner\"\n}\n\nresource \"launchdarkly_access_token\" \"bad\" {\n  name = \"bad\"\n  role = var.role\n}",
            env: NO_ENV,
            summary: "Invalid role",
            at: "role = var.role",
            says: &["\"owner\""],
        },
        Case {
            // timestamp() is unknown until apply: the plan proposes a create, and the apply
            // refuses it before any request.
            name: "role known only at apply",
            stage: Stage::Apply,
            provider: "",
            body: token!("role = timestamp()"),
            env: NO_ENV,
            summary: "Invalid role",
            at: "role = timestamp()",
            says: &["reader, writer or admin"],
        },
    ]);
}

#[test]
fn bad_input_token_data_sources() {
    run_table(&[
        Case {
            name: "name_regex with an unclosed group name",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_tokens\" \"bad\" {\n  name_regex = \"(?P<n\"\n}",
            env: NO_ENV,
            summary: "Invalid name_regex",
            at: "name_regex = \"(?P<n\"",
            says: &["not a valid regular expression"],
        },
        Case {
            name: "name_regex too large to compile",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_tokens\" \"bad\" {\n  name_regex = \"a{1000}{1000}{1000}\"\n}",
            env: NO_ENV,
            summary: "Invalid name_regex",
            at: "name_regex = \"a{1000}{1000}{1000}\"",
            says: &["size limit"],
        },
        Case {
            name: "name_regex with an unknown Unicode class",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_tokens\" \"bad\" {\n  name_regex = \"\\\\p{NoSuchClass}\"\n}",
            env: NO_ENV,
            summary: "Invalid name_regex",
            at: "name_regex = \"\\\\p{NoSuchClass}\"",
            says: &["Unicode property"],
        },
        Case {
            name: "empty role filter",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_tokens\" \"bad\" {\n  role = \"\"\n}",
            env: NO_ENV,
            summary: "Invalid role",
            at: "role = \"\"",
            says: &["reader, writer or admin"],
        },
        Case {
            name: "role filter in the wrong case",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_tokens\" \"bad\" {\n  role = \"Admin\"\n}",
            env: NO_ENV,
            summary: "Invalid role",
            at: "role = \"Admin\"",
            says: &["\"Admin\""],
        },
        Case {
            name: "service_token filter of the wrong type",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_tokens\" \"bad\" {\n  service_token = \"yes\"\n}",
            env: NO_ENV,
            summary: "Incorrect attribute value type",
            at: "service_token = \"yes\"",
            says: &["service_token", "bool"],
        },
        Case {
            name: "role set on the single-token data source",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_token\" \"bad\" {\n  name = \"ci\"\n  role = \"reader\"\n}",
            env: NO_ENV,
            summary: "Invalid Configuration for Read-Only Attribute",
            at: "role = \"reader\"",
            says: &["role"],
        },
        Case {
            name: "tokens set on the list data source",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_tokens\" \"bad\" {\n  tokens = []\n}",
            env: NO_ENV,
            summary: "Invalid Configuration for Read-Only Attribute",
            at: "tokens = []",
            says: &["tokens"],
        },
        Case {
            name: "an argument the list does not have",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_tokens\" \"bad\" {\n  filter = \"ci-*\"\n}",
            env: NO_ENV,
            summary: "Unsupported argument",
            at: "filter = \"ci-*\"",
            says: &["\"filter\""],
        },
        Case {
            name: "empty id",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_token\" \"bad\" {\n  id = \"\"\n}",
            env: NO_ENV,
            summary: "Empty id",
            at: "id = \"\"",
            says: &["id"],
        },
        Case {
            name: "empty name",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_token\" \"bad\" {\n  name = \"\"\n}",
            env: NO_ENV,
            summary: "Empty name",
            at: "name = \"\"",
            says: &["name"],
        },
        Case {
            name: "show_all of the wrong type",
            stage: Stage::Validate,
            provider: "",
            body: "data \"launchdarkly_access_token\" \"bad\" {\n  name     = \"ci\"\n  show_all = 3\n}",
            env: NO_ENV,
            summary: "Incorrect attribute value type",
            at: "show_all = 3",
            says: &["show_all"],
        },
        Case {
            // Unknown at plan time, so the read waits for apply, where the regex is refused
            // before the list is requested.
            name: "name_regex known only at apply",
            stage: Stage::Apply,
            provider: "",
            body: "data \"launchdarkly_access_tokens\" \"bad\" {\n  name_regex = \"(${timestamp()}\"\n}",
            env: NO_ENV,
            summary: "Invalid name_regex",
            at: "name_regex = \"(${timestamp()}\"",
            says: &["not a valid regular expression"],
        },
        Case {
            name: "id known only at apply, together with name",
            stage: Stage::Apply,
            provider: "",
            body: "data \"launchdarkly_access_token\" \"bad\" {\n  id   = timestamp()\n  name = \"ci\"\n}",
            env: NO_ENV,
            summary: "Conflicting id and name",
            at: "name = \"ci\"",
            says: &["id", "name"],
        },
    ]);
}

/// `ephemeral "launchdarkly_access_token"` (Terraform ≥ 1.10; skipped before). The list
/// resource needs `terraform query` (Terraform ≥ 1.14): `bad_input_list_resource` below.
#[test]
fn bad_input_ephemeral_access_token() {
    let (major, minor, _) = terraform_version();
    if major == 1 && minor < 10 {
        println!("skipping: Terraform {major}.{minor} has no ephemeral resources");
        return;
    }
    macro_rules! ephemeral {
        ($body:literal) => {
            concat!(
                "ephemeral \"launchdarkly_access_token\" \"bad\" {\n  name = \"bad\"\n  ",
                $body,
                "\n}"
            )
        };
    }
    run_table(&[
        Case {
            name: "ephemeral: role not a built-in role",
            stage: Stage::Validate,
            provider: "",
            body: ephemeral!("role = \"owner\""),
            env: NO_ENV,
            summary: "Invalid role",
            at: "role = \"owner\"",
            says: &["\"owner\""],
        },
        Case {
            name: "ephemeral: role and custom_roles",
            stage: Stage::Validate,
            provider: "",
            body: ephemeral!("role         = \"reader\"\n  custom_roles = [\"deployer\"]"),
            env: NO_ENV,
            summary: "Conflicting token permissions",
            at: "custom_roles = [\"deployer\"]",
            says: &["role and custom_roles"],
        },
        Case {
            name: "ephemeral: a statement with a bad effect",
            stage: Stage::Validate,
            provider: "",
            body: ephemeral!(
                "inline_roles {\n    effect    = \"maybe\"\n    resources = [\"proj/*\"]\n    actions   = [\"*\"]\n  }"
            ),
            env: NO_ENV,
            summary: "Invalid effect",
            at: "effect    = \"maybe\"",
            says: &["\"maybe\""],
        },
        Case {
            name: "ephemeral: an unpublished API version",
            stage: Stage::Validate,
            provider: "",
            body: ephemeral!("role                = \"reader\"\n  default_api_version = 1"),
            env: NO_ENV,
            summary: "Invalid default_api_version",
            at: "default_api_version = 1",
            says: &["20240415"],
        },
        Case {
            name: "ephemeral: token set (read-only)",
            stage: Stage::Validate,
            provider: "",
            body: ephemeral!("role  = \"reader\"\n  token = \"x\""),
            env: NO_ENV,
            summary: "Invalid Configuration for Read-Only Attribute",
            at: "token = \"x\"",
            says: &["token"],
        },
        Case {
            name: "ephemeral: no credentials",
            stage: Stage::Plan,
            provider: "",
            body: ephemeral!("role = \"reader\""),
            env: NO_CREDENTIALS,
            summary: "Missing LaunchDarkly credentials",
            at: "",
            says: &["access_token", "LAUNCHDARKLY_ACCESS_TOKEN"],
        },
    ]);
}

/// The list resource (`list "launchdarkly_access_token"` in a `.tfquery.hcl` file) through
/// `terraform query` (Terraform ≥ 1.14; skipped before): each bad filter fails the query
/// with one error at its attribute and no API request.
#[test]
fn bad_input_list_resource() {
    let (major, minor, _) = terraform_version();
    if major == 1 && minor < 14 {
        println!("skipping: Terraform {major}.{minor} has no terraform query");
        return;
    }
    let lab = Lab::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n"
    ));
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "name_regex = \"ci-(\"",
            "Invalid name_regex",
            "name_regex = \"ci-(\"",
            &["not a valid regular expression"],
        ),
        (
            "role = \"owner\"",
            "Invalid role",
            "role = \"owner\"",
            &["reader, writer or admin"],
        ),
        (
            "unused_for = \"90d\"",
            "Invalid unused_for",
            "unused_for = \"90d\"",
            &["2160h"],
        ),
        (
            "created_before = \"2026-01-31\"",
            "Invalid created_before",
            "created_before = \"2026-01-31\"",
            &["RFC 3339"],
        ),
        (
            "created_after  = \"2026-02-01T00:00:00Z\"\n    created_before = \"2026-01-01T00:00:00Z\"",
            "Empty creation window",
            "created_after  = \"2026-02-01T00:00:00Z\"",
            &["earlier than created_before"],
        ),
    ];
    for (config, summary, at, says) in cases {
        lab.wd.write(
            "bad.tfquery.hcl",
            &format!(
                "list \"launchdarkly_access_token\" \"bad\" {{\n  provider = launchdarkly\n  config {{\n    {config}\n  }}\n}}\n"
            ),
        );
        lab.emu.clear_requests();
        let o = lab.wd.run(&["query", "-no-color"]);
        let out = text(&o);
        assert!(
            !o.status.success(),
            "{summary}: the query must fail:\n{out}"
        );
        let lower = out.to_lowercase();
        assert!(
            !lower.contains("panic") && !lower.contains("crashed"),
            "{summary}: a crash:\n{out}"
        );
        assert_eq!(
            out.matches("Error: ").count(),
            1,
            "{summary}: exactly one error:\n{out}"
        );
        assert!(out.contains(&format!("Error: {summary}")), "{out}");
        assert!(
            out.lines().any(|l| l.contains(at) && l.trim_start().starts_with(|c: char| c.is_ascii_digit())),
            "{summary}: the error must show the line {at:?}:\n{out}"
        );
        for needle in *says {
            assert!(
                out.contains(needle),
                "{summary}: must mention {needle:?}:\n{out}"
            );
        }
        assert!(
            lab.emu.requests().is_empty(),
            "{summary}: no API request for a bad filter: {:?}",
            lab.emu.requests()
        );
    }
    println!(
        "{} bad-input cases for the list resource: each one error at its attribute, 0 API requests",
        cases.len()
    );
}
