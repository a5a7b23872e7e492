//! The upgrade path for stored state and stored identities: flatmap refused, the
//! resource's own `upgrade`, or a lenient decode as the current schema.

use super::{Engine, unknown_type};
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::json::{self, ObjectMode};
use crate::framework::path::AttributePath;
use crate::framework::value::Value;

/// State as Terraform stored it, before any decoding.
#[derive(Clone, Default)]
pub struct RawState {
    /// The JSON form (Terraform 0.12 and later).
    pub json: Vec<u8>,
    /// Whether the legacy flatmap form (Terraform 0.11) was sent instead.
    pub flatmap: bool,
}

impl Engine {
    /// Brings stored state to the current schema: legacy flatmap state is refused; the
    /// resource's own upgrade runs first; without one, the JSON is decoded leniently as the
    /// current schema (attributes it no longer has are dropped). `None` on error.
    pub async fn upgrade_resource_state(
        &self,
        name: &str,
        version: i64,
        raw: &RawState,
    ) -> (Option<Value>, Diagnostics) {
        let r = match self.resource(name) {
            Ok(r) => r,
            Err(d) => return (None, d),
        };
        if raw.json.is_empty() {
            if !raw.flatmap {
                return (None, Diagnostics::new());
            }
            return (
                None,
                Diagnostic::error(
                    "Unsupported legacy state",
                    "This state was written by Terraform 0.11 or older (flatmap format). Upgrade it with Terraform 0.12–0.15 and the official provider first.",
                )
                .into(),
            );
        }
        let parsed: serde_json::Value = match serde_json::from_slice(&raw.json) {
            Ok(j) => j,
            Err(e) => {
                let d = Diagnostic::error(
                    "Invalid stored state",
                    format!("The state of this resource is not valid JSON: {e}."),
                );
                return (None, d.into());
            }
        };
        let (value, d) = match r.imp.upgrade(version, &parsed).await {
            Some(done) => done,
            None => {
                match json::from_json(&parsed, &r.ty, ObjectMode::Lenient, &AttributePath::root()) {
                    Ok(v) => (v, Diagnostics::new()),
                    Err(e) => (
                        Value::Null,
                        Diagnostic::error(
                            "Invalid stored state",
                            format!("The stored state does not match the schema: {e}."),
                        )
                        .into(),
                    ),
                }
            }
        };
        if d.has_errors() {
            (None, d)
        } else {
            (Some(value), d)
        }
    }

    /// Brings a stored identity to the current identity schema (decoded leniently).
    pub fn upgrade_identity(&self, name: &str, raw: &RawState) -> (Option<Value>, Diagnostics) {
        let Some(schema) = self.identity_schema(name) else {
            return (None, unknown_type("resource identity", name));
        };
        let parsed: serde_json::Value = match serde_json::from_slice(&raw.json) {
            Ok(j) => j,
            Err(e) => {
                let d = Diagnostic::error(
                    "Invalid stored identity",
                    format!("The stored identity of this resource is not valid JSON: {e}."),
                );
                return (None, d.into());
            }
        };
        let ty = schema.implied_type();
        match json::from_json(&parsed, &ty, ObjectMode::Lenient, &AttributePath::root()) {
            Ok(v) => (Some(v), Diagnostics::new()),
            Err(e) => (
                None,
                Diagnostic::error(
                    "Invalid stored identity",
                    format!("The stored identity does not match the identity schema: {e}."),
                )
                .into(),
            ),
        }
    }
}
