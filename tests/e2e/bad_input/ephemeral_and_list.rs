//! Bad input in the ephemeral access token (Terraform ≥ 1.10) and the list resource
//! through `terraform query` (Terraform ≥ 1.14).

use super::*;

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
    let lab = Lab::without_resources();
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
