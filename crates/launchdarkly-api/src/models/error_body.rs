//! `ErrorBody`: LaunchDarkly's error representation `{code, message, id}`.

use serde::{Deserialize, Serialize};

/// The JSON body LaunchDarkly returns with an error status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error class, e.g. `unauthorized`, `rate_limited`.
    pub code: String,
    /// A human-readable explanation.
    pub message: String,
    /// A unique identifier for support requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl ErrorBody {
    /// The body LaunchDarkly documents for `status`, with `message` overriding the default.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorBody {
            code: code.into(),
            message: message.into(),
            id: None,
        }
    }
}
