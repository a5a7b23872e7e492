//! Fault injection: the knobs tests turn (rate limit per window with LaunchDarkly's headers,
//! a 5xx rate, latency, dropped connections, lost create responses, 409s on PATCH) and the
//! state that applies them. Rate-limit windows run on real time.

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::clock::real_now_ms;

/// Which rate-limit headers the emulator sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum RateLimitStyle {
    /// `X-Ratelimit-Global-Limit`/`-Remaining` and `X-Ratelimit-Reset` (epoch ms).
    #[default]
    Global,
    /// `X-Ratelimit-Route-Limit`/`-Remaining` and `X-Ratelimit-Reset`.
    Route,
    /// `X-Ratelimit-Auth-Token-Limit`/`-Remaining`/`-Reset`.
    AuthToken,
    /// Only `Retry-After` (seconds, rounded up) on a 429 (the IP-based limit).
    RetryAfter,
    /// No headers at all (seen in the wild).
    None,
}

/// What happens to a create response that is "lost".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum LostResponse {
    /// The connection is dropped without a usable response.
    #[default]
    Drop,
    /// A 500 is returned although the token was stored.
    ServerError,
}

/// Fault knobs. All off by default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Faults {
    /// Requests allowed per window (all API requests together); `None` = unlimited.
    pub rate_limit: Option<u32>,
    /// Window length in ms (LaunchDarkly: 10 s).
    pub rate_limit_window_ms: u64,
    /// Which headers announce the limit.
    pub rate_limit_style: RateLimitStyle,
    /// With the `retryAfter` style: send this `Retry-After` (seconds, any size) instead of
    /// the real time to the window's end — hostile-server tests.
    pub retry_after_secs: Option<u64>,
    /// Fraction (0..=1) of API requests answered with `error_status` without being handled.
    pub error_rate: f64,
    /// The status of injected errors (default 503).
    pub error_status: u16,
    /// Delay before handling each API request, in ms.
    pub latency_ms: u64,
    /// Fraction (0..=1) of API requests whose connection is dropped without being handled.
    pub drop_rate: f64,
    /// The next N creates store the token, then lose the response.
    pub lose_next_creates: u32,
    /// How a lost create response is lost.
    pub lost_create_mode: LostResponse,
    /// The next N creates are answered `error_status` without storing anything (a 5xx that
    /// created nothing, from the client's side indistinguishable from a lost response).
    pub fail_next_creates: u32,
    /// The next N (valid) secret resets are answered `error_status` without resetting.
    pub fail_next_resets: u32,
    /// The next N PATCHes answer 409 `optimistic_locking_error`.
    pub conflict_next_patches: u32,
    /// The next N token lists answer 200 with a valid but oversized body of
    /// `oversized_list_bytes`: whitespace padding streamed in chunks (never held in memory)
    /// before an empty page, announced by an honest `Content-Length`.
    pub oversize_next_lists: u32,
    /// The size of an oversized list body (default 64 MiB, far over any client cap).
    pub oversized_list_bytes: u64,
    /// Seed for the random choices (error and drop rates), for reproducible runs.
    pub seed: Option<u64>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            rate_limit: None,
            rate_limit_window_ms: 10_000,
            rate_limit_style: RateLimitStyle::Global,
            retry_after_secs: None,
            error_rate: 0.0,
            error_status: 503,
            latency_ms: 0,
            drop_rate: 0.0,
            lose_next_creates: 0,
            lost_create_mode: LostResponse::Drop,
            fail_next_creates: 0,
            fail_next_resets: 0,
            conflict_next_patches: 0,
            oversize_next_lists: 0,
            oversized_list_bytes: 64 * 1024 * 1024,
            seed: None,
        }
    }
}

/// The rate-limit headers for one response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RateHeaders {
    /// Header name/value pairs.
    pub headers: Vec<(&'static str, String)>,
    /// Reset time announced (epoch ms).
    pub reset_ms: Option<i64>,
    /// `Retry-After` announced (s).
    pub retry_after_secs: Option<u64>,
}

/// What to do with an incoming API request before handling it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Handle it (with these rate headers on the response).
    Pass(RateHeaders),
    /// Answer 429.
    RateLimited(RateHeaders),
    /// Answer this 5xx.
    ServerError(u16, RateHeaders),
    /// Drop the connection.
    Drop,
}

/// Faults plus the state they need.
#[derive(Debug)]
pub struct FaultState {
    /// The knobs.
    pub faults: Faults,
    rng: StdRng,
    window_start: Instant,
    window_start_ms: i64,
    count: u32,
}

impl FaultState {
    /// Starts with `faults`.
    pub fn new(faults: Faults) -> Self {
        let rng = rng_for(&faults);
        FaultState {
            faults,
            rng,
            window_start: Instant::now(),
            window_start_ms: real_now_ms(),
            count: 0,
        }
    }

    /// Replaces the knobs (and restarts the rate window).
    pub fn set(&mut self, faults: Faults) {
        *self = FaultState::new(faults);
    }

    /// Decides the fate of one API request.
    pub fn gate(&mut self) -> Gate {
        let f = &self.faults;
        if f.drop_rate > 0.0 && self.rng.random::<f64>() < f.drop_rate {
            return Gate::Drop;
        }
        let mut headers = RateHeaders::default();
        if let Some(limit) = f.rate_limit {
            let window = Duration::from_millis(f.rate_limit_window_ms.max(1));
            let now = Instant::now();
            let elapsed = now.duration_since(self.window_start);
            if elapsed >= window {
                // Align to the window grid so reset times are predictable.
                let windows = elapsed.as_millis() / window.as_millis().max(1);
                let advance = window.saturating_mul(u32::try_from(windows).unwrap_or(u32::MAX));
                self.window_start += advance;
                self.window_start_ms = self
                    .window_start_ms
                    .saturating_add(i64::try_from(advance.as_millis()).unwrap_or(i64::MAX));
                self.count = 0;
            }
            self.count = self.count.saturating_add(1);
            let reset_ms = self
                .window_start_ms
                .saturating_add(i64::try_from(window.as_millis()).unwrap_or(i64::MAX));
            let remaining = limit.saturating_sub(self.count);
            headers = rate_headers(f.rate_limit_style, limit, remaining, reset_ms);
            if self.count > limit {
                if f.rate_limit_style == RateLimitStyle::RetryAfter {
                    let left = reset_ms.saturating_sub(real_now_ms()).max(0);
                    let secs = f
                        .retry_after_secs
                        .unwrap_or_else(|| u64::try_from(left).unwrap_or(0).div_ceil(1000).max(1));
                    headers.headers.push(("Retry-After", secs.to_string()));
                    headers.retry_after_secs = Some(secs);
                }
                return Gate::RateLimited(headers);
            }
        }
        if f.error_rate > 0.0 && self.rng.random::<f64>() < f.error_rate {
            return Gate::ServerError(f.error_status, headers);
        }
        Gate::Pass(headers)
    }

    /// Consumes one "lost create" if armed.
    pub fn take_lost_create(&mut self) -> Option<LostResponse> {
        take_one(&mut self.faults.lose_next_creates).then_some(self.faults.lost_create_mode)
    }

    /// Consumes one "failed create" if armed: the status to answer with.
    pub fn take_failed_create(&mut self) -> Option<u16> {
        take_one(&mut self.faults.fail_next_creates).then_some(self.faults.error_status)
    }

    /// Consumes one "failed reset" if armed: the status to answer with.
    pub fn take_failed_reset(&mut self) -> Option<u16> {
        take_one(&mut self.faults.fail_next_resets).then_some(self.faults.error_status)
    }

    /// Consumes one "oversized list" if armed: the body size to send.
    pub fn take_oversized_list(&mut self) -> Option<u64> {
        take_one(&mut self.faults.oversize_next_lists).then_some(self.faults.oversized_list_bytes)
    }

    /// Consumes one "PATCH conflict" if armed.
    pub fn take_conflict(&mut self) -> bool {
        take_one(&mut self.faults.conflict_next_patches)
    }
}

/// Consumes one shot of a "next N" knob: counts it down and says whether one was armed.
fn take_one(armed: &mut u32) -> bool {
    if *armed > 0 {
        *armed -= 1;
        true
    } else {
        false
    }
}

fn rng_for(faults: &Faults) -> StdRng {
    match faults.seed {
        Some(seed) => StdRng::seed_from_u64(seed),
        None => StdRng::from_os_rng(),
    }
}

fn rate_headers(style: RateLimitStyle, limit: u32, remaining: u32, reset_ms: i64) -> RateHeaders {
    let (limit_name, remaining_name, reset_name) = match style {
        RateLimitStyle::Global => (
            "X-Ratelimit-Global-Limit",
            "X-Ratelimit-Global-Remaining",
            "X-Ratelimit-Reset",
        ),
        RateLimitStyle::Route => (
            "X-Ratelimit-Route-Limit",
            "X-Ratelimit-Route-Remaining",
            "X-Ratelimit-Reset",
        ),
        RateLimitStyle::AuthToken => (
            "X-Ratelimit-Auth-Token-Limit",
            "X-Ratelimit-Auth-Token-Remaining",
            "X-Ratelimit-Auth-Token-Reset",
        ),
        RateLimitStyle::RetryAfter | RateLimitStyle::None => return RateHeaders::default(),
    };
    RateHeaders {
        headers: vec![
            (limit_name, limit.to_string()),
            (remaining_name, remaining.to_string()),
            (reset_name, reset_ms.to_string()),
        ],
        reset_ms: Some(reset_ms),
        retry_after_secs: None,
    }
}

#[cfg(test)]
mod tests;
