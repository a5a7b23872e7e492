//! The retry policy, as pure functions: given what one attempt produced, decide whether to
//! try again and how long to wait. No I/O and no clock reads here (the caller passes "now"
//! and a random number), so every rule is unit-tested.
//!
//! Budget: retries of 429, 5xx and connection failures go on while the time since the call's
//! first attempt stays within `retry_budget` (and the caller's overall deadline); a count
//! would let a burst of header-less 429s use up every retry in about a second. `max_retries`
//! is an optional extra cap, off by default.
//!
//! Rules: 429 always waits (for `Retry-After` seconds, else the later of `X-Ratelimit-Reset`
//! and `X-Ratelimit-Auth-Token-Reset` in epoch ms, else exponential backoff) and pauses every
//! caller; 409 is retried a bounded number of times; 5xx other than 501 and lost connections
//! are retried only for requests that are safe to repeat; a connection that was never
//! established is retried for any request (nothing was sent); no other 4xx is retried.
//! A refused connection gets only [`REFUSED_RETRIES`] quick retries, and a failure no retry
//! can fix (a credential that cannot be a header, a rejected TLS certificate, a host name that
//! does not exist) none: see `failure.rs` for the classes and why.

use std::time::Duration;

use super::request::Repeatable;

/// Retry limits. Defaults: retry for up to 120 s of the call's time, backoff 200 ms doubling
/// to 10 s, 3 retries of 409, no count cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How long after its first attempt a call may still retry 429, 5xx and connection
    /// failures (the overall deadline bounds it too).
    pub retry_budget: Duration,
    /// Optional cap on those retries (not counting the first attempt); `None` = time only.
    pub max_retries: Option<u32>,
    /// First backoff step.
    pub base_delay: Duration,
    /// Largest backoff step (header-driven waits are not capped by this; the overall
    /// deadline bounds them).
    pub max_delay: Duration,
    /// Retries of 409 Conflict.
    pub max_conflict_retries: u32,
}

/// Default [`RetryPolicy::retry_budget`]: two minutes covers LaunchDarkly's 10 s rate-limit
/// windows many times over and a 5xx outage of the length the old 10-retry backoff rode out
/// (~52 s), while staying well inside the 300 s overall deadline.
pub const DEFAULT_RETRY_BUDGET: Duration = Duration::from_secs(120);

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retry_budget: DEFAULT_RETRY_BUDGET,
            max_retries: None,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_conflict_retries: 3,
        }
    }
}

/// The longest wait any server header is taken at: `Retry-After` and reset times are server
/// input, so a value beyond this (up to `i64::MAX` seconds has been seen in tests) is clamped
/// here before any clock arithmetic. It is far past every deadline, so such a wait simply
/// ends the call with the rate-limit error instead of sleeping.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// Retries of a refused connection. Two quick retries (about 0.1–0.6 s with the default
/// backoff) ride out a local API or proxy that is restarting; a refusal is a definite "nothing
/// listens here", so after that the call fails with a message pointing at `api_host` instead
/// of retrying for the whole budget (it used to take about 45 s).
pub const REFUSED_RETRIES: u32 = 2;

/// Rate-limit information read from response headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimitInfo {
    /// `Retry-After`, seconds (or an HTTP date converted to a delay).
    pub retry_after: Option<Duration>,
    /// `X-Ratelimit-Reset`, epoch ms.
    pub reset_ms: Option<i64>,
    /// `X-Ratelimit-Auth-Token-Reset`, epoch ms.
    pub auth_token_reset_ms: Option<i64>,
    /// Smallest of the `X-Ratelimit-*-Remaining` headers present.
    pub remaining: Option<i64>,
}

impl RateLimitInfo {
    /// Reads the headers from `(name, value)` pairs; names are matched case-insensitively and
    /// unparseable values are ignored. `now_ms` converts an HTTP-date `Retry-After`.
    pub fn from_headers<'a>(
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        now_ms: i64,
    ) -> Self {
        let mut info = RateLimitInfo::default();
        for (name, value) in headers {
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "retry-after" => info.retry_after = parse_retry_after(value, now_ms),
                "x-ratelimit-reset" => info.reset_ms = value.parse().ok(),
                "x-ratelimit-auth-token-reset" => info.auth_token_reset_ms = value.parse().ok(),
                "x-ratelimit-global-remaining"
                | "x-ratelimit-route-remaining"
                | "x-ratelimit-auth-token-remaining" => {
                    if let Ok(n) = value.parse::<i64>() {
                        info.remaining = Some(info.remaining.map_or(n, |m| m.min(n)));
                    }
                }
                _ => {}
            }
        }
        info
    }

    /// The latest reset time announced (epoch ms), if any.
    pub fn reset_at_ms(&self) -> Option<i64> {
        match (self.reset_ms, self.auth_token_reset_ms) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// How long the headers say to wait from `now_ms`: `Retry-After` first, else the reset
    /// time. A reset time in the past (or negative) yields `Some(0)`: the window is already
    /// over, so waiting is pointless (it is never turned into a positive wait).
    /// Never more than [`MAX_SERVER_WAIT`].
    pub fn header_wait(&self, now_ms: i64) -> Option<Duration> {
        if let Some(d) = self.retry_after {
            return Some(d.min(MAX_SERVER_WAIT));
        }
        self.reset_at_ms().map(|reset| {
            Duration::from_millis(u64::try_from(reset.saturating_sub(now_ms)).unwrap_or(0))
                .min(MAX_SERVER_WAIT)
        })
    }
}

fn parse_retry_after(value: &str, now_ms: i64) -> Option<Duration> {
    if let Ok(secs) = value.parse::<i64>() {
        return Some(Duration::from_secs(u64::try_from(secs).unwrap_or(0)).min(MAX_SERVER_WAIT));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let ms = date.timestamp_millis().saturating_sub(now_ms);
    Some(Duration::from_millis(u64::try_from(ms).unwrap_or(0)).min(MAX_SERVER_WAIT))
}

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The server answered with this status.
    Status(u16),
    /// The connection could not be established: nothing was sent.
    NotSent,
    /// The request may have reached the server (timeout, reset, broken response).
    MaybeSent,
    /// The connection was refused: nothing listens there. Nothing was sent.
    Refused,
    /// Nothing was sent and sending again cannot help.
    Unfixable,
}

/// What one call has used of its retry budget so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RetryState {
    /// Retries made for 429, 5xx and connection failures.
    pub retries: u32,
    /// Retries made for 409.
    pub conflicts: u32,
    /// Retries made for refused connections (also counted in `retries`).
    pub refusals: u32,
    /// Time since the call's first attempt started.
    pub elapsed: Duration,
}

impl RetryState {
    /// Whether another retry of a 429, 5xx or connection failure fits the budget after
    /// waiting `wait`.
    fn fits(&self, policy: &RetryPolicy, wait: Duration) -> bool {
        let in_time = self.elapsed.saturating_add(wait) <= policy.retry_budget;
        let in_count = policy.max_retries.is_none_or(|max| self.retries < max);
        in_time && in_count
    }

    /// Retry a 429, 5xx or connection failure after `wait` if that fits the budget, else
    /// give up with `reason`. Only a 429 pauses every caller: it applies to the whole account.
    fn retry_within_budget(
        &self,
        policy: &RetryPolicy,
        wait: Duration,
        reason: RetryReason,
    ) -> Decision {
        if self.fits(policy, wait) {
            Decision::Retry {
                wait,
                pause_everyone: reason == RetryReason::RateLimited,
                reason,
            }
        } else {
            Decision::Exhausted(reason)
        }
    }
}

/// Why a retry happens (for logs and for the final error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// 429.
    RateLimited,
    /// 409.
    Conflict,
    /// 5xx.
    ServerError,
    /// Connection failure or timeout.
    Transport,
    /// Connection refused.
    Refused,
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Return this outcome to the caller (success, or an error not worth retrying).
    Stop,
    /// Retries are used up for a retryable failure.
    Exhausted(RetryReason),
    /// Wait, then send again. `pause_everyone` asks the limiter to hold back all callers
    /// for the same time (a 429 applies to the whole account, not this call).
    Retry {
        /// Time to wait before the next attempt.
        wait: Duration,
        /// Whether every other caller should wait too.
        pause_everyone: bool,
        /// Why.
        reason: RetryReason,
    },
}

/// Exponential backoff with jitter for retry number `retry` (0-based): a value in
/// `[d/2, d]` where `d = min(base * 2^retry, max)`. `jitter` is a random number in `[0, 1)`.
pub fn backoff(policy: &RetryPolicy, retry: u32, jitter: f64) -> Duration {
    let factor = 2u32.saturating_pow(retry.min(20));
    let d = policy
        .base_delay
        .saturating_mul(factor)
        .min(policy.max_delay);
    d / 2 + d.mul_f64(jitter.clamp(0.0, 1.0) / 2.0)
}

/// The decision after one attempt. `now_ms` is the current epoch time in ms, `jitter` a random
/// number in `[0, 1)`.
pub fn decide(
    policy: &RetryPolicy,
    repeatable: Repeatable,
    state: RetryState,
    outcome: AttemptOutcome,
    rate: &RateLimitInfo,
    now_ms: i64,
    jitter: f64,
) -> Decision {
    match outcome {
        AttemptOutcome::Status(429) => {
            let wait = match rate.header_wait(now_ms) {
                // Header-driven: at least what the server asked, plus a little jitter so
                // callers released together do not arrive together.
                Some(w) => {
                    let spread = policy.base_delay.saturating_add(w / 4);
                    w.saturating_add(spread.mul_f64(jitter.clamp(0.0, 1.0)))
                }
                None => backoff(policy, state.retries, jitter),
            };
            state.retry_within_budget(policy, wait, RetryReason::RateLimited)
        }
        AttemptOutcome::Status(409) => {
            if state.conflicts < policy.max_conflict_retries {
                Decision::Retry {
                    wait: backoff(policy, state.conflicts, jitter),
                    pause_everyone: false,
                    reason: RetryReason::Conflict,
                }
            } else {
                Decision::Stop
            }
        }
        AttemptOutcome::Status(s) if s >= 500 && s != 501 => {
            if repeatable == Repeatable::Safe {
                let wait = backoff(policy, state.retries, jitter);
                state.retry_within_budget(policy, wait, RetryReason::ServerError)
            } else {
                Decision::Stop
            }
        }
        AttemptOutcome::Status(_) | AttemptOutcome::Unfixable => Decision::Stop,
        AttemptOutcome::Refused => {
            if state.refusals < REFUSED_RETRIES {
                let wait = backoff(policy, state.refusals, jitter);
                state.retry_within_budget(policy, wait, RetryReason::Refused)
            } else {
                Decision::Exhausted(RetryReason::Refused)
            }
        }
        AttemptOutcome::NotSent | AttemptOutcome::MaybeSent => {
            // Nothing was sent, or the request is safe to send twice.
            if outcome == AttemptOutcome::NotSent || repeatable == Repeatable::Safe {
                let wait = backoff(policy, state.retries, jitter);
                state.retry_within_budget(policy, wait, RetryReason::Transport)
            } else {
                Decision::Stop
            }
        }
    }
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;
