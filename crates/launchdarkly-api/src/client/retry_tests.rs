//! Unit tests of `retry.rs`.

#[path = "retry_tests/decisions.rs"]
mod decisions;
#[path = "retry_tests/rate_limit_headers.rs"]
mod rate_limit_headers;

use super::*;
use Repeatable::{Safe, Unsafe};

const NOW: i64 = 1_754_300_000_000;

fn policy() -> RetryPolicy {
    RetryPolicy::default()
}

fn st(retries: u32, conflicts: u32) -> RetryState {
    RetryState {
        retries,
        conflicts,
        refusals: 0,
        elapsed: Duration::ZERO,
    }
}

fn after(retries: u32, elapsed: Duration) -> RetryState {
    RetryState {
        retries,
        conflicts: 0,
        refusals: 0,
        elapsed,
    }
}

/// The decision after a 429 for a request safe to repeat that has had `retries` retries.
fn after_429(rate: &RateLimitInfo, retries: u32, jitter: f64) -> Decision {
    let outcome = AttemptOutcome::Status(429);
    decide(&policy(), Safe, st(retries, 0), outcome, rate, NOW, jitter)
}
