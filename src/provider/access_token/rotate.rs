//! Rotation: when the old secret stops working (`expire` or `rotation_grace_period`), and
//! the diagnostic for a reset that failed or whose outcome is unknown.

use super::model::TokenModel;
use crate::client::Error;
use crate::framework::Diagnostic;
use crate::models::time::now_ms;
use crate::provider::diagnostics::readable_ms;
use crate::provider::duration;
use std::time::Duration;

/// A failed reset: what is known about the secret in state, with readable times, and
/// the next step.
pub(super) fn rotation_failed(what: &str, e: &Error, expiry: Option<i64>) -> Diagnostic {
    let summary = format!("Failed to rotate the secret of {what}");
    let ends = match expiry {
        Some(ms) => format!("at {}", readable_ms(ms)),
        None => "at once".to_string(),
    };
    let detail = match e {
        Error::OutcomeUnknown {
            cause,
            started_at_ms,
            ..
        } => format!(
            "The reset request was sent at {} and its outcome is unknown: {cause}. \
             The state keeps the previous secret. If LaunchDarkly did not reset it, that secret still works; \
             if it did, that secret stops working {ends} and the new one was lost. \
             Next step: run `terraform apply` again. It plans the rotation again (a refresh also notices a reset \
             that did happen), and stores a secret that works.",
            readable_ms(*started_at_ms)
        ),
        other => format!(
            "{other}. The secret was not reset: the previous secret in the state still works. \
             Next step: fix the cause above and run `terraform apply` again; it plans the rotation again."
        ),
    };
    Diagnostic::error(summary, detail)
}

/// When the old secret stops working: `expire` (v2: negative = now) if it
/// changed, else now + `rotation_grace_period` (absent or zero = now).
pub(super) fn rotation_expiry(
    prior: &TokenModel,
    cfg: &TokenModel,
) -> Result<Option<i64>, Diagnostic> {
    if let Some(e) = cfg.expire.filter(|e| *e != 0) {
        if cfg.expire != prior.expire {
            return Ok((e > 0).then_some(e));
        }
    }
    let grace = match cfg.rotation_grace_period.as_deref() {
        Some(g) => {
            duration::parse(g).map_err(|e| Diagnostic::error("Invalid rotation_grace_period", e))?
        }
        None => Duration::ZERO,
    };
    Ok((!grace.is_zero()).then(|| now_ms() + grace.as_millis() as i64))
}
