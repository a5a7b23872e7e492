//! Client errors as Terraform diagnostics: what failed, on which token, and
//! the client's own text (HTTP status, LaunchDarkly `code`/`message`,
//! request id and a hint). Client errors never contain secrets.

use crate::client::Error;
use crate::framework::Diagnostic;

/// `what` is e.g. `create access token "ci"` or `read access token 6123…`.
pub fn api_error(what: &str, e: &Error) -> Diagnostic {
    Diagnostic::error(format!("Failed to {what}"), format!("{e}"))
}

/// The error for resources used before the provider could be configured.
pub fn not_configured() -> Diagnostic {
    Diagnostic::error(
        "Provider not configured",
        "The launchdarkly provider has no usable configuration (its values may depend on resources not yet created). \
         Make the provider configuration known at plan time.",
    )
}

/// Epoch milliseconds as a UTC time people read: `2026-12-01 23:31:37 UTC`.
pub fn readable_ms(ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        None => format!("{ms} ms since the epoch"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn readable_times() {
        assert_eq!(super::readable_ms(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(
            super::readable_ms(1_796_024_388_510),
            "2026-11-30 07:39:48 UTC"
        );
    }
}
