//! `AccessTokenPost` (create body) and `StatementPost`/`Statement` (inline policy statements).

use serde::{Deserialize, Serialize};

/// A base role a token can be created with (`AccessTokenPost.role` enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BaseRole {
    /// `reader`
    Reader,
    /// `writer`
    Writer,
    /// `admin`
    Admin,
}

impl BaseRole {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            BaseRole::Reader => "reader",
            BaseRole::Writer => "writer",
            BaseRole::Admin => "admin",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "reader" => Some(BaseRole::Reader),
            "writer" => Some(BaseRole::Writer),
            "admin" => Some(BaseRole::Admin),
            _ => None,
        }
    }
}

/// Whether a statement allows or denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// `allow`
    Allow,
    /// `deny`
    Deny,
}

impl Effect {
    /// The wire spelling: `allow` or `deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "allow",
            Effect::Deny => "deny",
        }
    }
}

/// A policy statement. `StatementPost` (request) and `Statement` (response) have the same
/// fields, so one type serves both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Statement {
    /// Resource specifiers (exclusive with `notResources`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
    /// Resources *not* targeted (exclusive with `resources`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_resources: Option<Vec<String>>,
    /// Actions (exclusive with `notActions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<String>>,
    /// Actions *not* targeted (exclusive with `actions`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_actions: Option<Vec<String>>,
    /// Allow or deny.
    pub effect: Effect,
}

/// The request-side name of [`Statement`].
pub type StatementPost = Statement;

/// `AccessTokenPost`: the body of `POST /api/v2/tokens`. Set exactly one of `role`,
/// `custom_role_ids` and `inline_role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenPost {
    /// Human-friendly name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Base role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<BaseRole>,
    /// Custom role IDs (LaunchDarkly also accepts keys here on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_role_ids: Option<Vec<String>>,
    /// Inline policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_role: Option<Vec<StatementPost>>,
    /// Service token (true) or personal token (false, the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_token: Option<bool>,
    /// Default API version (`yyyymmdd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_api_version: Option<i64>,
}
