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
