//! The `launchdarkly_access_token` schema: the same HCL as the official
//! provider v2.30.3 (protocol 5, blocks for statements, `expire`), plus
//! `description`, `rotation_triggers` and `rotation_grace_period`.
//!
//! [`TokenModel`] and [`StatementModel`] are the schema: each attribute's name, type, flags
//! and description are written once, here, and the attributes, the decoding and the
//! encoding all come from them (`tfplugin::object!`). Code that must name an attribute
//! (attribute paths, values that may be unknown) uses the generated constants, e.g.
//! `TokenModel::role`.

use crate::framework::object::Set;
use crate::framework::{Block, Schema};
use std::collections::BTreeMap;

/// Schema version 1; state written by the official provider is version 0.
pub const SCHEMA_VERSION: i64 = 1;

pub const ROLES: [&str; 3] = ["reader", "writer", "admin"];
/// API versions LaunchDarkly documents for `defaultApiVersion`.
pub const API_VERSIONS: [i64; 5] = [20240415, 20220603, 20210729, 20191212, 20160426];
/// The current API version; older ones still work but are deprecated.
pub const CURRENT_API_VERSION: i64 = 20240415;

/// Why `policy_statements` is deprecated: sent in the schema (Terraform 1.15+ shows it where a
/// configuration refers to the blocks' value) and warned by validation where they are set.
pub const POLICY_STATEMENTS_DEPRECATION: &str = "policy_statements is deprecated; rename the blocks to inline_roles (same content). The official provider v3 removed policy_statements.";

tfplugin::object! {
    /// One policy statement as written in HCL (a block of `inline_roles` or `policy_statements`).
    pub struct StatementModel {
        // Option: a state may carry a null effect (the official provider's v0 states are
        // decoded leniently); configuration always has one (required).
        effect: Option<String> = required(
            "Either `allow` or `deny`: whether this statement allows or denies the actions on the resources."
        ),
        resources: Option<Vec<String>> = optional(
            "Resource specifiers, e.g. `proj/*:env/*:flag/*`. Exactly one of `resources` or `not_resources` is required."
        ),
        not_resources: Option<Vec<String>> = optional(
            "Targeted resources are those **not** in this list. Exactly one of `resources` or `not_resources` is required."
        ),
        actions: Option<Vec<String>> = optional(
            "Actions, e.g. `*` or `updateOn`. See [actions](https://docs.launchdarkly.com/home/account/role-actions). Exactly one of `actions` or `not_actions` is required."
        ),
        not_actions: Option<Vec<String>> = optional(
            "Targeted actions are those **not** in this list. Exactly one of `actions` or `not_actions` is required."
        ),
    }
}

tfplugin::object! {
    /// The resource's full config or state, wholly known (apply and read time). `Debug`
    /// never shows the secret (`token` is sensitive).
    pub struct TokenModel {
        id: Option<String> = computed("The token ID."),
        name: Option<String> = optional("A human-friendly name for the access token."),
        description: Option<String> = optional_computed(
            "A description of the access token. When omitted, a description set elsewhere (e.g. in the UI) is kept; set `\"\"` to clear it."
        ),
        role: Option<String> = optional(
            "A built-in LaunchDarkly role: `reader`, `writer` or `admin`. Conflicts with `custom_roles` and `inline_roles`."
        ),
        custom_roles: Option<Set<String>> = optional(
            "Keys (or IDs) of custom roles that limit the token; list each role once, by key or by ID. Unknown keys fail the plan. Conflicts with `role` and `inline_roles`."
        ),
        service_token: Option<bool> = optional_computed(
            "Whether the token is a [service token](https://docs.launchdarkly.com/home/account/api#service-tokens) (default `false`). Changing it forces a new token."
        ),
        default_api_version: Option<i64> = optional_computed(
            "The default API version of the token, e.g. `20240415`. Defaults to the latest version. Changing an explicitly set value forces a new token."
        ),
        token: Option<String> = computed(
            "The secret key. Known after create and after each rotation; null after import until the next rotation. A reset outside Terraform plans a rotation."
        )
        .sensitive(),
        expire: Option<i64> = optional(
            "Rotates the secret when changed (official provider v2 semantics): a negative value expires the old secret immediately; \
             a positive value is the Unix epoch time in milliseconds until which the old secret stays valid (a value that looks like seconds gets a warning); \
             `0` means no rotation, as in v2. Setting it at creation does not rotate."
        ),
        rotation_triggers: Option<BTreeMap<String, String>> = optional(
            "Arbitrary non-null values; when any of them changes, the secret is rotated (for example `{ rotated = time_rotating.t.id }`). \
             `{}` is the same as no triggers: adding triggers to a token that had none (or `{}`), or removing them, does not rotate."
        ),
        rotation_grace_period: Option<String> = optional(
            "How long the previous secret stays valid after a rotation by `rotation_triggers`, as a non-negative duration such as `\"24h\"` or `\"90m\"`. \
             Default: it expires immediately. Without `rotation_triggers` it has no effect (and a warning says so)."
        ),
        inline_roles: Vec<StatementModel> = list_block(
            "An inline policy statement limiting the token; may be repeated. Conflicts with `role` and `custom_roles`."
        ),
        policy_statements: Vec<StatementModel> = list_block(
            "Deprecated alias of `inline_roles` (kept for configurations written for the official provider v1/v2)."
        )
        .deprecated_because(POLICY_STATEMENTS_DEPRECATION),
    }
}

pub fn schema() -> Schema {
    Schema {
        version: SCHEMA_VERSION,
        block: Block {
            description: "Provides a LaunchDarkly API access token resource.\n\n\
                This resource creates, updates, rotates and deletes [API access tokens](https://docs.launchdarkly.com/home/account/api). \
                The full secret is stored in the Terraform state (`token`, sensitive): protect your state accordingly.\n\n\
                A token needs exactly one of `role`, `custom_roles` or `inline_roles` (or the deprecated alias `policy_statements`).\n\n\
                **Rotation.** Changing `expire` to a non-zero value (as in the official provider v2) or any value of a non-empty `rotation_triggers` resets the secret. \
                With `rotation_triggers`, the previous secret stays valid for `rotation_grace_period`. \
                If the secret is reset outside Terraform (in the UI or the API), the next refresh notices it (LaunchDarkly's last four characters no longer match), \
                warns, and plans a rotation, so that the state and outputs get a secret that works. \
                Scheduled rotation works with `time_rotating` from hashicorp/time (e.g. `rotation_triggers = { r = time_rotating.t.id }`) or built-ins such as \
                `{ month = formatdate(\"YYYY-MM\", plantimestamp()) }` (Terraform ≥ 1.5).\n\n\
                **Import.** `terraform import launchdarkly_access_token.x <id>` and `import {}` blocks are supported. \
                LaunchDarkly never returns a secret after creation, so `token` is null after import until the next rotation."
                .into(),
            attributes: TokenModel::attributes(),
            blocks: TokenModel::blocks(),
            deprecated: false,
        },
    }
}

/// A token object (configuration or state) with empty blocks and the given attributes: the
/// fixture the validation and planning tests share.
#[cfg(test)]
pub fn object_with(pairs: Vec<(&str, crate::framework::Value)>) -> crate::framework::Value {
    use crate::framework::Value;
    let mut v = Value::null_object_of(&schema().implied_type());
    v.set(TokenModel::inline_roles, Value::List(vec![]));
    v.set(TokenModel::policy_statements, Value::List(vec![]));
    for (k, x) in pairs {
        v.set(k, x);
    }
    v
}
