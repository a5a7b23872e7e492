//! The upgrade path for stored state and stored identities: flatmap refused, the
//! resource's own `upgrade`, or a lenient decode as the current schema.

use super::{Engine, unknown_type, unless_errors};
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::json::{self, ObjectMode};
use crate::framework::path::AttributePath;
use crate::framework::types::Type;
use crate::framework::value::Value;
use std::fmt::Display;

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
        let parsed = match parse_stored(
            &raw.json,
            INVALID_STATE,
            "The state of this resource is not valid JSON",
        ) {
            Ok(j) => j,
            Err(d) => return (None, d),
        };
        unless_errors(match r.imp.upgrade(version, &parsed).await {
            Some(done) => done,
            None => match decode_stored(
                &parsed,
                &r.ty,
                INVALID_STATE,
                "The stored state does not match the schema",
            ) {
                Ok(v) => (v, Diagnostics::new()),
                Err(d) => (Value::Null, d),
            },
        })
    }

    /// Brings a stored identity to the current identity schema (decoded leniently).
    pub fn upgrade_identity(&self, name: &str, raw: &RawState) -> (Option<Value>, Diagnostics) {
        let Some(schema) = self.identity_schema(name) else {
            return (None, unknown_type("resource identity", name));
        };
        let decoded = parse_stored(
            &raw.json,
            INVALID_IDENTITY,
            "The stored identity of this resource is not valid JSON",
        )
        .and_then(|parsed| {
            decode_stored(
                &parsed,
                &schema.implied_type(),
                INVALID_IDENTITY,
                "The stored identity does not match the identity schema",
            )
        });
        match decoded {
            Ok(v) => (Some(v), Diagnostics::new()),
            Err(d) => (None, d),
        }
    }
}

// The summaries of errors about stored state and stored identities.
const INVALID_STATE: &str = "Invalid stored state";
const INVALID_IDENTITY: &str = "Invalid stored identity";

/// Stored JSON (state or an identity), parsed; bytes that are not JSON are an error
/// `summary`, its detail `not_json` and the parser's error.
fn parse_stored(
    json: &[u8],
    summary: &str,
    not_json: &str,
) -> Result<serde_json::Value, Diagnostics> {
    serde_json::from_slice(json).map_err(|e| stored_error(summary, not_json, e))
}

/// Parsed stored JSON decoded leniently as `ty` (attributes it lacks are dropped, missing
/// ones are null); JSON that does not fit is an error `summary`, its detail `mismatch` and
/// the decoder's error.
fn decode_stored(
    parsed: &serde_json::Value,
    ty: &Type,
    summary: &str,
    mismatch: &str,
) -> Result<Value, Diagnostics> {
    json::from_json(parsed, ty, ObjectMode::Lenient, &AttributePath::root())
        .map_err(|e| stored_error(summary, mismatch, e))
}

fn stored_error(summary: &str, detail: &str, cause: impl Display) -> Diagnostics {
    Diagnostic::error(summary, format!("{detail}: {cause}.")).into()
}
