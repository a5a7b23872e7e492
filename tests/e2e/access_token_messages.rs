//! What users read from `launchdarkly_access_token` (issue 12, items 9 and 11): each warning
//! once and where it belongs, errors that name the fix, and readable times after a failed
//! rotation. Each scenario ends with the server's tokens equal to the state's and a clean plan.

use crate::access_token_correctness::{find, json_diagnostics, snippet, tf, token_of};
use crate::support::*;

/// Item 9: every provider warning appears once in plan, apply and validate, and the
/// `policy_statements` warning points at the block.
#[test]
fn each_warning_appears_once_and_policy_statements_at_its_block() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "w" {
  name                = "w"
  default_api_version = 20160426
  policy_statements {
    effect    = "allow"
    resources = ["proj/*"]
    actions   = ["*"]
  }
}"#));
    let runs: &[&[&str]] = &[
        &["validate", "-json", "-no-color"],
        &["plan", "-json", "-no-color", "-input=false"],
        &[
            "apply",
            "-json",
            "-auto-approve",
            "-no-color",
            "-input=false",
        ],
    ];
    for args in runs {
        let (ok_, diags) = json_diagnostics(&lab.wd, args);
        assert!(ok_, "{args:?}: {diags:?}");
        let deprecated = find(&diags, "Deprecated attribute");
        assert_eq!(deprecated.len(), 1, "{args:?}: once: {diags:?}");
        assert!(
            snippet(deprecated[0]).contains("policy_statements {"),
            "{args:?}: at the block: {:?}",
            deprecated[0]
        );
        assert_eq!(
            find(&diags, "Deprecated API version").len(),
            1,
            "{args:?}: once: {diags:?}"
        );
    }
    lab.assert_server_matches_state();
    lab.assert_no_changes("after apply");
}

/// Item 11: invalid values name the fix; odd but valid values warn; a failed rotation says
/// when, what the old secret does, and what to do next, in readable time.
#[test]
fn failure_texts_are_readable_and_name_the_next_step() {
    let one = |body: &str| {
        tf(&format!(
            "resource \"launchdarkly_access_token\" \"m\" {{\n  name = \"m\"\n  role = \"reader\"\n  {body}\n}}"
        ))
    };
    // (body, summary, severity, texts the detail must contain)
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "expire = 1e20",
            "Invalid expire",
            "error",
            &["after the year 9999", "epoch time in milliseconds"],
        ),
        (
            "expire = 1.5",
            "Invalid expire",
            "error",
            &["not a whole number"],
        ),
        (
            "rotation_triggers = { r = \"1\" }\n  rotation_grace_period = \"-1h\"",
            "Invalid rotation_grace_period",
            "error",
            &["is negative", "\"24h\""],
        ),
        (
            "expire = 1767225600",
            "expire looks like seconds",
            "warning",
            &[
                "1970-01-21",
                "expire = 1767225600000",
                "2026-01-01 00:00:00 UTC",
            ],
        ),
        (
            "rotation_grace_period = \"1h\"",
            "rotation_grace_period without rotation_triggers",
            "warning",
            &["has no effect", "Add rotation_triggers"],
        ),
        (
            "rotation_triggers = {}\n  rotation_grace_period = \"1h\"",
            "rotation_grace_period without rotation_triggers",
            "warning",
            &["has no effect"],
        ),
    ];
    let lab = Lab::new(&one(""));
    for (body, summary, severity, texts) in cases {
        lab.wd.write("main.tf", &one(body));
        let (ok_, diags) = json_diagnostics(&lab.wd, &["validate", "-json", "-no-color"]);
        assert_eq!(ok_, *severity == "warning", "{body}: {diags:?}");
        let d = find(&diags, summary);
        assert_eq!(d.len(), 1, "{body}: {diags:?}");
        assert_eq!(d[0]["severity"], *severity, "{body}");
        let detail = d[0]["detail"].as_str().unwrap_or_default();
        for t in *texts {
            assert!(detail.contains(t), "{body}: {t:?} missing in {detail:?}");
        }
        assert!(!detail.contains("expected a number"), "{detail}");
    }
    assert!(lab.server_tokens().is_empty());

    // A rotation whose reset fails: readable time, the old secret's fate, the next step.
    let rot = |r: &str| one(&format!("rotation_triggers = {{ r = \"{r}\" }}"));
    lab.wd.write("main.tf", &rot("1"));
    lab.apply();
    let s1 = token_of(&lab, "m");
    lab.wd.write("main.tf", &rot("2"));
    let mut faults = lab.emu.faults();
    faults.fail_next_resets = 1;
    lab.emu.set_faults(faults);
    let out = lab.failed_apply();
    assert!(out.contains("Failed to rotate the secret"), "{out}");
    assert!(!out.contains("ms since the epoch"), "no raw epoch: {out}");
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(" UTC"), "a readable time: {out}");
    assert!(
        flat.contains("run `terraform apply` again"),
        "the next step: {out}"
    );
    assert!(
        flat.contains("that secret still works"),
        "the old secret's fate: {out}"
    );
    assert_eq!(token_of(&lab, "m"), s1);
    lab.apply();
    assert_ne!(token_of(&lab, "m"), s1, "the rerun rotates");
    lab.assert_server_matches_state();
    lab.assert_no_changes("after the rerun");
}

/// Item 8 (the provider's part): a credential from the environment gets the same checks as
/// the attribute before any request — a CRLF token file fails at once, naming the variable
/// and the fix, without echoing the secret.
#[test]
fn a_crlf_credential_in_the_environment_fails_at_once_naming_the_fix() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "e" {
  name = "e"
  role = "reader"
}"#));
    let key = format!("{}\r", lab.emu.admin_key());
    let started = std::time::Instant::now();
    let o = lab.wd.run_env(
        &["plan", "-input=false", "-no-color"],
        &[("LAUNCHDARKLY_ACCESS_TOKEN", key.as_str())],
    );
    let out = text(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("Invalid LAUNCHDARKLY_ACCESS_TOKEN"), "{out}");
    assert!(
        out.contains("carriage return"),
        "names the cause and fix: {out}"
    );
    assert!(
        !out.contains(lab.emu.admin_key()),
        "the secret is not echoed"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "fails fast, not after ~40 s of retries"
    );
    assert!(lab.emu.requests().is_empty(), "no request was attempted");
    lab.apply();
    lab.assert_server_matches_state();
    lab.assert_no_changes("with the clean credential");
}

/// Item 10: a provider alias configured from a token that this plan rotates still plans;
/// its resources keep their stored state with a warning naming the way out, and the apply
/// configures the alias with the new secret.
#[test]
fn an_alias_configured_from_a_rotating_token_plans_and_says_what_was_not_refreshed() {
    let cfg = |r: &str| {
        format!(
            "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\n\
             provider \"launchdarkly\" {{\n  alias        = \"rotated\"\n  access_token = launchdarkly_access_token.admin.token\n}}\n\n\
             resource \"launchdarkly_access_token\" \"admin\" {{\n  name              = \"admin\"\n  role              = \"admin\"\n  rotation_triggers = {{ r = \"{r}\" }}\n}}\n\n\
             resource \"launchdarkly_access_token\" \"child\" {{\n  provider = launchdarkly.rotated\n  name     = \"child\"\n  role     = \"reader\"\n}}\n"
        )
    };
    let lab = Lab::new(&cfg("1"));
    lab.apply();
    lab.assert_no_changes("after create");
    let admin1 = token_of(&lab, "admin");

    lab.wd.write("main.tf", &cfg("2"));
    let (code, plan) = lab.plan_code();
    assert_eq!(code, 2, "the plan succeeds and shows the rotation:\n{plan}");
    assert!(!plan.contains("Provider not configured"), "{plan}");
    let flat = plan.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Access token not refreshed"), "{plan}");
    assert!(
        flat.contains("-target=") && flat.contains("-refresh=false"),
        "the way out: {plan}"
    );
    lab.apply();
    let admin2 = token_of(&lab, "admin");
    assert_ne!(admin2, admin1);
    assert!(lab.key_works(&admin2) && !lab.key_works(&admin1));
    lab.assert_server_matches_state();
    lab.assert_no_changes("after the rotation");
}
