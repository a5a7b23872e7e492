//! `Token`, `Tokens`, `MemberSummary` and `Link`: what LaunchDarkly returns for access tokens.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::Statement;
use crate::secret::Secret;

/// A link to a related resource (`{href, type}`; both optional in the schema).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Link {
    /// The resource location, e.g. `/api/v2/tokens/{id}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The content type, e.g. `application/json`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl Link {
    /// A JSON link to `href`.
    pub fn json(href: impl Into<String>) -> Self {
        Link {
            href: Some(href.into()),
            kind: Some(String::from("application/json")),
        }
    }
}

/// The `_links` object: a map from relation name to link.
pub type Links = BTreeMap<String, Link>;

/// `MemberSummary`: the member who created a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberSummary {
    /// Links (`self` → `/api/v2/members/{id}`).
    #[serde(rename = "_links")]
    pub links: Links,
    /// The member's ID.
    #[serde(rename = "_id")]
    pub id: String,
    /// The member's first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The member's last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The member's base role.
    pub role: String,
    /// The member's email address.
    pub email: String,
}

/// `Token`: an access token as returned by every token operation.
///
/// `token` holds the full secret only in the responses to create (201) and reset (200);
/// everywhere else it holds the last four characters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    /// The token ID (24 hex characters).
    #[serde(rename = "_id")]
    pub id: String,
    /// The account ID.
    pub owner_id: String,
    /// The member who created the token.
    pub member_id: String,
    /// Details on the member who created the token.
    #[serde(rename = "_member", default, skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberSummary>,
    /// Human-friendly name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Creation time, Unix epoch milliseconds.
    pub creation_date: i64,
    /// Last modification time, Unix epoch milliseconds.
    pub last_modified: i64,
    /// Custom role IDs limiting the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_role_ids: Option<Vec<String>>,
    /// Inline policy statements limiting the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_role: Option<Vec<Statement>>,
    /// Base role (absent when the token uses custom roles or an inline policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Full secret (create/reset) or its last four characters (everything else).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    /// Service token (true) or personal token (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<bool>,
    /// Links (`self`, `parent`).
    #[serde(rename = "_links")]
    pub links: Links,
    /// Default API version of the token (`yyyymmdd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_api_version: Option<i64>,
    /// Last use, Unix epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<i64>,
}

/// `Tokens`: one page of the token list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    /// The tokens on this page (`null` or absent reads as none).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub items: Vec<Token>,
    /// Pagination links (`self`, and when the server provides them `first`/`prev`/`next`/`last`).
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Number of tokens visible to the caller (before pagination).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Token>, D::Error> {
    Ok(Option::<Vec<Token>>::deserialize(d)?.unwrap_or_default())
}

impl Tokens {
    /// The `href` of the `next` link, if the server sent one.
    pub fn next_href(&self) -> Option<&str> {
        self.links
            .as_ref()
            .and_then(|l| l.get("next"))
            .and_then(|l| l.href.as_deref())
    }
}
