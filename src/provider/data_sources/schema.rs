//! The token object of the two token data sources. Protocol 5 has no nested
//! attributes, so a token is a computed attribute of object type; the plural
//! data source (`tokens.rs`) holds a list of them and the singular one (`token.rs`)
//! has the same attributes flattened at the top level. One typed object
//! (`TokenItem`) describes a token for both; each data source's file holds its schema.

use crate::framework::Type;
use crate::framework::object::CtyType;

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
