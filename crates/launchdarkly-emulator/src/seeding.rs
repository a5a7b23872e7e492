//! Seeding: the tokens and admin keys put straight into the store at start, through
//! [`crate::EmulatorHandle::seed_token`], or through `POST /_emulator/tokens`.

use serde::Deserialize;

use super::models::API_VERSION;
use super::store::{ADMIN_MEMBER_ID, EmulatedToken, Store, new_object_id, new_secret};

/// A token to seed directly (bypassing the API).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct SeedToken {
    /// Owning member's email (created if unknown); default: the admin member.
    pub member_email: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Base role (default `reader` unless custom roles are given).
    pub role: Option<String>,
    /// Custom role keys or IDs.
    pub custom_role_ids: Vec<String>,
    /// Service token instead of personal.
    pub service_token: bool,
    /// A fixed secret (default: a new `api-<uuid>`).
    pub secret: Option<String>,
    /// Creation time in ms since the epoch (default: the emulator's now), for audit tests.
    pub creation_date: Option<i64>,
    /// Last use in ms since the epoch (default: never used), for audit tests.
    pub last_used: Option<i64>,
}

/// Adds a token to the store.
pub(crate) fn seed(
    store: &mut Store,
    spec: &SeedToken,
    now_ms: i64,
) -> Result<EmulatedToken, String> {
    let member_id = match &spec.member_email {
        None => String::from(ADMIN_MEMBER_ID),
        Some(email) => store.member_by_email(email),
    };
    let custom_role_ids = spec
        .custom_role_ids
        .iter()
        .map(|k| {
            store
                .resolve_role(k)
                .ok_or_else(|| format!("unknown custom role {k:?}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let role = match (&spec.role, custom_role_ids.is_empty()) {
        (Some(r), _) => Some(r.clone()),
        (None, true) => Some(String::from("reader")),
        (None, false) => None,
    };
    let token = EmulatedToken {
        id: new_object_id(),
        member_id,
        name: spec.name.clone(),
        description: None,
        role,
        custom_role_ids,
        inline_role: Vec::new(),
        service_token: spec.service_token,
        default_api_version: API_VERSION,
        creation_date: spec.creation_date.unwrap_or(now_ms),
        last_modified: spec.creation_date.unwrap_or(now_ms),
        last_used: spec.last_used,
        secret: spec.secret.clone().unwrap_or_else(new_secret),
        previous_keys: Vec::new(),
    };
    store.tokens.push(token.clone());
    Ok(token)
}

pub(crate) fn ensure_admin_token(
    store: &mut Store,
    secret: &str,
    service: bool,
    name: &str,
    now: i64,
) {
    if store.tokens.iter().any(|t| t.secret == secret) {
        return;
    }
    let spec = SeedToken {
        service_token: service,
        role: Some(String::from("admin")),
        name: Some(name.to_owned()),
        secret: Some(secret.to_owned()),
        ..SeedToken::default()
    };
    // Cannot fail: no custom roles are involved.
    let _ = seed(store, &spec, now);
}
