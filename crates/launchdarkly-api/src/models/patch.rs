//! `PatchOperation`: one RFC 6902 JSON Patch operation, as sent to `PATCH /api/v2/tokens/{id}`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The JSON Patch operation kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PatchOp {
    /// `add`
    Add,
    /// `remove`
    Remove,
    /// `replace`
    Replace,
    /// `move`
    Move,
    /// `copy`
    Copy,
    /// `test`
    Test,
}

/// One operation of a JSON Patch document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchOperation {
    /// The operation.
    pub op: PatchOp,
    /// JSON Pointer to the target, e.g. `/name`.
    pub path: String,
    /// The value for `add`, `replace` and `test`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl PatchOperation {
    /// `replace` `path` with `value` (on LaunchDarkly this also sets an absent field).
    pub fn replace(path: impl Into<String>, value: impl Into<Value>) -> Self {
        PatchOperation {
            op: PatchOp::Replace,
            path: path.into(),
            value: Some(value.into()),
        }
    }

    /// `remove` `path` (LaunchDarkly answers 422 when the field is absent).
    pub fn remove(path: impl Into<String>) -> Self {
        PatchOperation {
            op: PatchOp::Remove,
            path: path.into(),
            value: None,
        }
    }

    /// Whether repeating this operation leaves the same result (replace and test).
    pub fn is_idempotent(&self) -> bool {
        matches!(self.op, PatchOp::Replace | PatchOp::Test)
    }
}
