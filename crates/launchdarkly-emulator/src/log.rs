//! The request log: one record per API request (not admin requests), which tests read to
//! check what the client sent, how often, and when.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One API request as the emulator saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestRecord {
    /// Sequence number (0-based, in arrival order).
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Status answered (for a dropped connection, the status that was never delivered).
    pub status: u16,
    /// The connection was dropped instead of delivering the response.
    pub dropped: bool,
    /// Arrival, real epoch ms.
    pub received_at_ms: i64,
    /// Arrival, time since the emulator started.
    pub since_start: Duration,
    /// The emulated clock at arrival.
    pub emulator_time_ms: i64,
    /// `X-Ratelimit-Reset` / `X-Ratelimit-Auth-Token-Reset` sent with this response.
    pub rate_limit_reset_ms: Option<i64>,
    /// `Retry-After` (seconds) sent with this response.
    pub retry_after_secs: Option<u64>,
    /// Last four characters of the credential used (never the full value).
    pub credential_last4: Option<String>,
}
