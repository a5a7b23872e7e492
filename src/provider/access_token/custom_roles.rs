//! Plan-time checks of `custom_roles` (issue 12, items 6 and 7): every known key or ID must
//! name a custom role, and no role may be listed twice (by key and by ID). The lookups go
//! through the provider's role cache, so each key costs one request per process, shared with
//! the create or update that follows in the same process.

use super::model::TokenModel;
use crate::framework::{AttributePath, Diagnostic, Diagnostics, Value};
use crate::provider::Shared;
use crate::provider::diagnostics::api_error;

/// Checks the configured `custom_roles`. Skipped (empty) when the provider is not
/// configured yet: apply checks again.
pub async fn check(shared: &Shared, config: &Value) -> Diagnostics {
    let mut d = Diagnostics::new();
    let Some(items) = config
        .get(TokenModel::custom_roles)
        .and_then(Value::as_elements)
    else {
        return d;
    };
    let Ok(client) = shared.client() else {
        return d;
    };
    // (key or ID as written, resolved ID)
    let mut seen: Vec<(String, String)> = Vec::new();
    for k in items.iter().filter_map(Value::as_str) {
        let path = AttributePath::attr(TokenModel::custom_roles).at_key(k);
        match shared.roles.find(&client, k).await {
            Ok(Some(role)) => {
                if let Some((other, _)) = seen.iter().find(|(_, id)| *id == role.id) {
                    let (by_id, by_key) = if *k == role.id {
                        (k, other.as_str())
                    } else {
                        (other.as_str(), k)
                    };
                    d.push(
                        Diagnostic::error(
                            "Custom role listed twice",
                            format!(
                                "custom_roles lists custom role {:?} twice: as {by_key:?} and as {by_id:?}, which is its ID. \
                                 Keep one of them (the key {:?} reads better).",
                                role.key, role.key
                            ),
                        )
                        .at(path),
                    );
                } else {
                    seen.push((k.to_string(), role.id));
                }
            }
            Ok(None) => d.push(
                Diagnostic::error(
                    "Unknown custom role",
                    format!(
                        "custom_roles[{k:?}]: LaunchDarkly has no custom role with the key or ID {k:?}. \
                         Check the spelling against Account settings → Roles, or create the role first."
                    ),
                )
                .at(path),
            ),
            Err(e) => {
                d.push(api_error(&format!("check custom role {k:?}"), &e).at(path));
                return d;
            }
        }
    }
    d
}
