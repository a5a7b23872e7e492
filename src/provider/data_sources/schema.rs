//! Schemas of the two token data sources. Protocol 5 has no nested
//! attributes, so a token is a computed attribute of object type; the plural
//! data source holds a list of them and the singular one has the same
//! attributes flattened at the top level. One typed object (`TokenItem`)
//! describes a token for both.

use crate::framework::object::CtyType;
use crate::framework::{Attribute, Block, Schema, Type};

tfplugin::object! {
    /// One policy statement of a token in a result (`inline_roles` elements).
    pub struct StatementItem {
        effect: String = computed("`allow` or `deny`."),
        resources: Option<Vec<String>> = computed("Resource specifiers (null when empty)."),
        not_resources: Option<Vec<String>> = computed("Excluded resource specifiers (null when empty)."),
        actions: Option<Vec<String>> = computed("Actions (null when empty)."),
        not_actions: Option<Vec<String>> = computed("Excluded actions (null when empty)."),
    }
}

tfplugin::object! {
    /// One token in a result: every element of `tokens`, and the computed attributes of the
    /// singular data source. Each attribute name is written once, here.
    pub struct TokenItem {
        id: String = computed("The token ID."),
        name: Option<String> = computed("The token's name (null when it has none)."),
        description: Option<String> = computed("The token's description (null when it has none)."),
        role: Option<String> = computed(
            "The built-in role (`reader`, `writer`, `admin`); null when the token uses custom roles or an inline policy."
        ),
        custom_role_ids: Vec<String> = computed("IDs of the custom roles limiting the token (empty when none)."),
        inline_roles: Vec<StatementItem> = computed(
            "The inline policy statements limiting the token (empty when none): objects with `effect`, `resources`, `not_resources`, `actions` and `not_actions`."
        ),
        service_token: bool = computed("Whether this is a service token (`false`: a personal token)."),
        default_api_version: Option<i64> = computed("The token's default API version, e.g. `20240415`."),
        owner_id: String = computed("The ID of the account that owns the token."),
        member_id: String = computed("The ID of the member who created the token."),
        creation_date: Option<String> = computed("When the token was created (RFC 3339, UTC)."),
        last_modified: Option<String> = computed("When the token was last modified (RFC 3339, UTC)."),
        last_used: Option<String> = computed("When the token was last used (RFC 3339, UTC); null if never used."),
        token_suffix: Option<String> = computed(
            "The last four characters of the secret, as LaunchDarkly shows them. The full secret is never available after creation."
        ),
    }
}

/// The object type of one element of `tokens`.
pub fn token_type() -> Type {
    TokenItem::cty()
}

/// `launchdarkly_access_tokens`.
pub fn tokens_schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "Lists the API access tokens visible to the provider's credential, optionally filtered.\n\n\
                Every page of `GET /api/v2/tokens` is read; the filters (`name`, `name_regex`, `service_token`, `role`, \
                and the audit filters `unused_for`, `created_before`, `created_after`) are applied to the full list and combine with AND. Results are sorted by creation date, then ID. \
                Secrets are never exposed: `token_suffix` holds the last four characters only.\n\n\
                A personal token sees service tokens and its own member's personal tokens; with the Admin role and \
                `show_all = true` it also sees every other member's personal tokens."
                .into(),
            attributes: vec![
                Attribute::computed(
                    "id",
                    Type::String,
                    "An identifier derived from the arguments (stable for the same filters).",
                ),
                Attribute::optional(
                    "show_all",
                    Type::Bool,
                    "Include other members' personal tokens (requires a credential with the Admin role). Default `false`.",
                ),
                Attribute::optional("name", Type::String, "Only tokens with exactly this name."),
                Attribute::optional(
                    "name_regex",
                    Type::String,
                    "Only tokens whose name matches this regular expression ([Rust regex syntax](https://docs.rs/regex/latest/regex/#syntax); unanchored, use `^…$` for a full match). Tokens without a name never match.",
                ),
                Attribute::optional(
                    "service_token",
                    Type::Bool,
                    "Only service tokens (`true`) or only personal tokens (`false`).",
                ),
                Attribute::optional(
                    "role",
                    Type::String,
                    "Only tokens with this built-in role: `reader`, `writer` or `admin`.",
                ),
                Attribute::optional(
                    "unused_for",
                    Type::String,
                    "Only stale tokens: last used longer ago than this duration, or never used and created longer ago than it. \
                     A duration such as `\"2160h\"` (90 days); hours are the largest unit. Compared with the provider's clock at read time.",
                ),
                Attribute::optional(
                    "created_before",
                    Type::String,
                    "Only tokens created before this time (RFC 3339, e.g. `\"2026-01-31T00:00:00Z\"`).",
                ),
                Attribute::optional(
                    "created_after",
                    Type::String,
                    "Only tokens created after this time (RFC 3339). Must be earlier than `created_before` when both are set.",
                ),
                Attribute::computed(
                    "tokens",
                    Type::list(token_type()),
                    "The matching tokens, sorted by creation date then ID. Each has the attributes of the `launchdarkly_access_token` data source: \
                     `id`, `name`, `description`, `role`, `custom_role_ids`, `inline_roles`, `service_token`, `default_api_version`, \
                     `owner_id`, `member_id`, `creation_date`, `last_modified`, `last_used` and `token_suffix`.",
                ),
                Attribute::computed(
                    "ids",
                    Type::list(Type::String),
                    "The IDs of the matching tokens, in the same order as `tokens` (handy for `for_each = toset(...)`).",
                ),
            ],
            ..Block::default()
        },
    }
}

/// `launchdarkly_access_token`.
pub fn token_schema() -> Schema {
    let mut attributes = vec![
        Attribute::optional_computed(
            "id",
            Type::String,
            "The token ID to look up. Exactly one of `id` or `name` is required.",
        ),
        Attribute::optional_computed(
            "name",
            Type::String,
            "The exact name of the token to look up; exactly one visible token must have it. Exactly one of `id` or `name` is required.",
        ),
        Attribute::optional(
            "show_all",
            Type::Bool,
            "When looking up by `name`, also search other members' personal tokens (requires the Admin role). Default `false`.",
        ),
    ];
    // The lookup keys above are optional; every other token attribute is computed.
    let keys: Vec<String> = attributes.iter().map(|a| a.name.clone()).collect();
    attributes.extend(
        TokenItem::attributes()
            .into_iter()
            .filter(|a| !keys.contains(&a.name)),
    );
    Schema {
        version: 0,
        block: Block {
            description: "Looks up one API access token by `id` or by unique `name`.\n\n\
                A lookup by `name` reads the whole token list and fails, naming the candidates, when no token or \
                several tokens have that name. Secrets are never exposed: `token_suffix` holds the last four characters only."
                .into(),
            attributes,
            ..Block::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_has_every_token_attribute_at_the_top_level() {
        let s = token_schema();
        for item in TokenItem::attributes() {
            let name = item.name.as_str();
            let a = s.block.attribute(name).expect(name);
            assert_eq!(a.ty, item.ty, "{name}");
            assert!(a.computed, "{name}");
        }
        assert!(s.block.attribute("id").is_some_and(|a| a.optional));
        assert!(s.block.attribute("name").is_some_and(|a| a.optional));
        assert!(
            s.block
                .attributes
                .iter()
                .all(|a| !a.sensitive && !a.required)
        );
    }

    #[test]
    fn plural_lists_tokens_of_the_shared_object_type() {
        let s = tokens_schema();
        let tokens = s.block.attribute("tokens").expect("tokens");
        assert_eq!(tokens.ty, Type::list(token_type()));
        assert!(tokens.computed && !tokens.optional);
    }
}
