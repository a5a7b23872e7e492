//! [`Client::execute`] in two parts: [`Client::attempt`] runs the attempt loop (limiter slot,
//! overall deadline, retry decisions, waits) and reports how it ended as an [`Ending`];
//! [`Client::outcome`] turns that into `Result<RawResponse, Error>` without any I/O.

use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::retry::{self, AttemptOutcome, Decision, RateLimitInfo, RetryReason, RetryState};
use super::transport::{RawResponse, TransportFailure};
use crate::models::time::{epoch_ms, now_ms};

use super::{ApiErrorDetail, ApiRequest, Client, Error, Repeatable, hint_for};

/// How the attempt loop ended.
#[derive(Debug)]
pub(super) enum Ending {
    /// No (more) retries: success, an answer not worth retrying, retries used up, or a body
    /// over the cap. The last attempt's result.
    Last {
        result: Result<RawResponse, TransportFailure>,
        attempts: u32,
    },
    /// A 429's wait would end past the overall deadline: that 429.
    RateLimitedPastDeadline {
        response: RawResponse,
        attempts: u32,
    },
    /// The overall deadline passed: waiting for a slot, during an attempt, or before a wait
    /// that would end past it. `maybe_sent` says whether any attempt may have reached the
    /// server.
    Deadline {
        attempts: u32,
        last: String,
        maybe_sent: bool,
    },
}

impl Client {
    /// Sends `req` with retries, inside the limiter and the overall deadline. Returns the
    /// response only for a 2xx status.
    pub async fn execute(&self, req: &ApiRequest) -> Result<RawResponse, Error> {
        let started_at = SystemTime::now();
        let ending = self.attempt(req).await;
        self.outcome(req, started_at, ending)
    }

    /// The attempt loop: sends until the retry policy stops, the deadline passes, or a body
    /// over the cap arrives (reading it again would not help, and the request was sent).
    async fn attempt(&self, req: &ApiRequest) -> Ending {
        let inner = &self.inner;
        let first_attempt = Instant::now();
        // A deadline past what `Instant` can hold (`Duration::MAX`) is as good as none.
        let deadline = first_attempt
            .checked_add(inner.overall_timeout)
            .or_else(|| first_attempt.checked_add(FAR_FUTURE))
            .unwrap_or(first_attempt);
        let mut state = RetryState::default();
        let mut attempts: u32 = 0;
        let mut last = String::from("none");
        let mut maybe_sent = false;
        loop {
            let Ok(permit) = tokio::time::timeout_at(deadline, inner.limiter.acquire()).await
            else {
                return Ending::Deadline {
                    attempts,
                    last,
                    maybe_sent,
                };
            };
            attempts = attempts.saturating_add(1);
            let sent = tokio::time::timeout_at(deadline, inner.transport.send(req)).await;
            let Ok(result) = sent else {
                return Ending::Deadline {
                    attempts,
                    last: String::from("attempt cut off by the deadline"),
                    maybe_sent: true,
                };
            };
            let now = now_ms();
            let (outcome, rate) = match &result {
                Ok(resp) => {
                    let rate = RateLimitInfo::from_headers(
                        resp.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                        now,
                    );
                    // Before the slot is given back: see `Permit::observe_remaining`.
                    if let Some(remaining) = rate.remaining {
                        permit.observe_remaining(remaining, rate.header_wait(now));
                    }
                    (AttemptOutcome::Status(resp.status), rate)
                }
                Err(TransportFailure::BodyTooLarge { .. }) => {
                    return Ending::Last { result, attempts };
                }
                Err(f) => {
                    maybe_sent |= f.maybe_sent();
                    let o = match f {
                        TransportFailure::Refused(_) => AttemptOutcome::Refused,
                        TransportFailure::Unfixable { .. } => AttemptOutcome::Unfixable,
                        _ if f.maybe_sent() => AttemptOutcome::MaybeSent,
                        _ => AttemptOutcome::NotSent,
                    };
                    (o, RateLimitInfo::default())
                }
            };
            drop(permit);
            state.elapsed = first_attempt.elapsed();
            let decision = retry::decide(
                &inner.policy,
                req.repeatable,
                state,
                outcome,
                &rate,
                now,
                rand::random::<f64>(),
            );
            let Decision::Retry {
                wait,
                pause_everyone,
                reason,
            } = decision
            else {
                return Ending::Last { result, attempts };
            };
            last = match &result {
                Ok(resp) => format!("HTTP {}", resp.status),
                Err(f) => f.message(),
            };
            tracing::debug!(
                operation = req.operation.name(),
                attempt = attempts,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                problem = %last,
                "retrying LaunchDarkly request"
            );
            if Instant::now()
                .checked_add(wait)
                .is_none_or(|t| t > deadline)
            {
                return match result {
                    Ok(response) if reason == RetryReason::RateLimited => {
                        Ending::RateLimitedPastDeadline { response, attempts }
                    }
                    _ => Ending::Deadline {
                        attempts,
                        last,
                        maybe_sent,
                    },
                };
            }
            if pause_everyone {
                inner.limiter.pause_for(wait);
            }
            if reason == RetryReason::Conflict {
                state.conflicts = state.conflicts.saturating_add(1);
            } else {
                state.retries = state.retries.saturating_add(1);
            }
            if reason == RetryReason::Refused {
                state.refusals = state.refusals.saturating_add(1);
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Maps how the loop ended to the call's result. A request that is unsafe to repeat and
    /// may have reached the server without a usable answer is [`Error::OutcomeUnknown`].
    pub(super) fn outcome(
        &self,
        req: &ApiRequest,
        started_at: SystemTime,
        ending: Ending,
    ) -> Result<RawResponse, Error> {
        let unsafe_ = req.repeatable == Repeatable::Unsafe;
        let (result, attempts) = match ending {
            Ending::Deadline {
                attempts,
                last,
                maybe_sent,
            } => {
                return Err(if maybe_sent && unsafe_ {
                    let cause = format!("overall deadline passed ({last})");
                    outcome_unknown(req, started_at, cause, None)
                } else {
                    Error::DeadlineExceeded {
                        operation: req.operation,
                        deadline_secs: self.inner.overall_timeout.as_secs(),
                        attempts,
                        last,
                    }
                });
            }
            Ending::RateLimitedPastDeadline { response, attempts } => {
                return Err(self.status_error(req, &response, attempts));
            }
            Ending::Last { result, attempts } => (result, attempts),
        };
        match result {
            Ok(resp) if (200..300).contains(&resp.status) => Ok(resp),
            Ok(resp) if resp.status >= 500 && unsafe_ => {
                let d = self.detail(req, &resp, attempts);
                let cause = format!("HTTP {} {}: {}", d.status, d.code, d.message);
                Err(outcome_unknown(req, started_at, cause, Some(resp.status)))
            }
            Ok(resp) => Err(self.status_error(req, &resp, attempts)),
            Err(f @ TransportFailure::BodyTooLarge { status, .. }) if unsafe_ => {
                Err(outcome_unknown(req, started_at, f.message(), Some(status)))
            }
            Err(TransportFailure::BodyTooLarge { status, limit }) => Err(Error::ResponseTooLarge {
                operation: req.operation,
                status,
                limit_bytes: limit,
            }),
            Err(f) if f.maybe_sent() && unsafe_ => {
                Err(outcome_unknown(req, started_at, f.message(), None))
            }
            Err(f) => Err(Error::Transport {
                operation: req.operation,
                attempts,
                message: f.message(),
                hint: f.hint(self.inner.policy.retry_budget.as_secs()),
            }),
        }
    }

    fn detail(&self, req: &ApiRequest, resp: &RawResponse, attempts: u32) -> ApiErrorDetail {
        let hint = hint_for(
            req.operation,
            resp.status,
            &self.inner.credential_source,
            attempts,
        );
        ApiErrorDetail::from_response(
            req.operation,
            resp.status,
            &resp.body,
            resp.header("x-request-id").map(str::to_owned),
            hint,
            attempts,
        )
    }

    fn status_error(&self, req: &ApiRequest, resp: &RawResponse, attempts: u32) -> Error {
        Error::from_detail(self.detail(req, resp, attempts))
    }
}

/// Stand-in for a deadline too far away to represent: a year.
const FAR_FUTURE: Duration = Duration::from_secs(365 * 24 * 60 * 60);

fn outcome_unknown(
    req: &ApiRequest,
    started_at: SystemTime,
    cause: String,
    status: Option<u16>,
) -> Error {
    Error::OutcomeUnknown {
        operation: req.operation,
        started_at,
        started_at_ms: epoch_ms(started_at),
        cause,
        status,
    }
}

#[cfg(test)]
#[path = "execute_tests.rs"]
mod tests;
