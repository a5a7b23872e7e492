//! `CustomRole`: the part of `GET /api/v2/roles/{keyOrId}` the provider needs (key ↔ ID).

use serde::{Deserialize, Serialize};

use super::Links;

/// A custom role. LaunchDarkly returns more fields (policy, base permissions…); only the
/// identifying ones are modelled, the rest are ignored on decode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomRole {
    /// The role ID (24 hex characters).
    #[serde(rename = "_id")]
    pub id: String,
    /// The role key.
    pub key: String,
    /// The role name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Links (`self`).
    #[serde(rename = "_links", default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
}
