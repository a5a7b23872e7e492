//! Validation of the rotation attributes (`expire`, `rotation_triggers`,
//! `rotation_grace_period`): errors that name the fix, and warnings for values that are
//! valid but almost surely not what was meant.

use super::model::TokenModel;
use crate::framework::{AttributePath, Diagnostics, Value};
use crate::provider::diagnostics::readable_ms;
use crate::provider::duration;

/// Epoch milliseconds of 9999-12-31T23:59:59.999Z: the latest `expire` accepted.
const MAX_EXPIRE_MS: i64 = 253_402_300_799_999;
/// Epoch milliseconds of 1971-01-01: a positive `expire` below it is almost surely seconds
/// (every seconds timestamp up to the year 2969 lands in 1970 when read as milliseconds).
const SECONDS_LOOKING_BELOW_MS: i64 = 31_536_000_000;

const EXPIRE_HELP: &str = "expire is a whole number of milliseconds: negative expires the old secret at once, \
    a positive value is the Unix epoch time in milliseconds until which the old secret stays valid \
    (e.g. 1767225600000 is 2026-01-01T00:00:00Z), and 0 means no rotation (as in the official provider v2).";

pub(super) fn validate_expire(v: &Value, d: &mut Diagnostics) {
    let Some(n) = v.as_number() else { return };
    let path = AttributePath::attr(TokenModel::expire);
    let Some(ms) = n.to_i64().filter(|ms| ms.abs() <= MAX_EXPIRE_MS) else {
        let why = if n.is_integer() {
            "is after the year 9999".to_string()
        } else {
            "is not a whole number".to_string()
        };
        d.attribute_error(
            path,
            "Invalid expire",
            format!("expire = {n} {why}. {EXPIRE_HELP}"),
        );
        return;
    };
    if ms > 0 && ms < SECONDS_LOOKING_BELOW_MS {
        let as_ms = ms.saturating_mul(1000);
        d.attribute_warning(
            path,
            "expire looks like seconds",
            format!(
                "expire = {ms} is read as milliseconds, which is {} — the old secret would stop working at once. \
                 If you meant seconds since the epoch ({}), write expire = {as_ms}.",
                readable_ms(ms),
                readable_ms(as_ms),
            ),
        );
    }
}

pub(super) fn validate_rotation(config: &Value, d: &mut Diagnostics) {
    let triggers = config.get_or_null(TokenModel::rotation_triggers);
    if let Some(m) = triggers.as_entries() {
        for (k, v) in m {
            if v.is_null() {
                d.attribute_error(
                    AttributePath::attr(TokenModel::rotation_triggers).at_key(k),
                    "Null rotation trigger",
                    format!(
                        "rotation_triggers[{k:?}] is null. Every trigger needs a string value (for example a timestamp or a version); \
                         remove the key, or give it a value, e.g. coalesce(var.x, \"none\")."
                    ),
                );
            }
        }
    }
    let grace = config.get_or_null(TokenModel::rotation_grace_period);
    if let Some(s) = grace.as_str() {
        let path = AttributePath::attr(TokenModel::rotation_grace_period);
        if s.trim_start().starts_with('-') {
            d.attribute_error(
                path,
                "Invalid rotation_grace_period",
                format!(
                    "rotation_grace_period = {s:?} is negative. It is how long the previous secret keeps working after a rotation, \
                     e.g. \"24h\" or \"90m\"; use \"0s\" or omit it to expire the previous secret at once."
                ),
            );
        } else if let Err(e) = duration::parse(s) {
            d.attribute_error(path, "Invalid rotation_grace_period", e);
        } else if triggers.is_null() || triggers.as_entries().is_some_and(|m| m.is_empty()) {
            d.attribute_warning(
                path,
                "rotation_grace_period without rotation_triggers",
                "rotation_grace_period only applies to rotations by rotation_triggers, and this token has none, so it has no effect. \
                 Add rotation_triggers (e.g. { month = formatdate(\"YYYY-MM\", plantimestamp()) }), or remove rotation_grace_period. \
                 A rotation by expire uses expire's own time instead.",
            );
        }
    }
}
