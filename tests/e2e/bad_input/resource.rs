//! Bad input in the `launchdarkly_access_token` resource.

use super::*;

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
