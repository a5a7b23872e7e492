//! The client's error type. Each variant names what failed; API errors carry the HTTP status,
//! LaunchDarkly's `code`, `message` and request `id`, and a hint saying what to do. Nothing
//! here ever holds a credential or a full token secret (server text is scrubbed).

use std::time::SystemTime;

use thiserror::Error;

use super::body::describe_size;
use super::request::Operation;
use crate::models::ErrorBody;
use crate::secret::scrub_and_cut;

/// LaunchDarkly's documented `code` for a 404 (`NotFoundErrorRep`).
pub const NOT_FOUND_CODE: &str = "not_found";

/// The hint for a 404 that is not LaunchDarkly's documented not-found answer.
const FOREIGN_404_HINT: &str = "This 404 is not LaunchDarkly's not-found answer (code `not_found`), so nothing is treated as deleted: \
     check that api_host is only the API's scheme and host (for example https://app.launchdarkly.com, no path) \
     and that no proxy in between rewrites the request";

/// The most characters of a non-JSON error body (a proxy's HTML page, say), of `code` and of
/// the request id that an error shows.
const MAX_PLAIN_BODY_CHARS: usize = 300;
/// The most characters of LaunchDarkly's JSON `message` an error shows (its messages are
/// short; this only bounds a hostile server).
const MAX_JSON_TEXT_CHARS: usize = 2000;

/// Details of an error answer from the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiErrorDetail {
    /// The operation that failed.
    pub operation: Operation,
    /// HTTP status.
    pub status: u16,
    /// LaunchDarkly's error class (`code`), or a stand-in when the body was not JSON.
    pub code: String,
    /// LaunchDarkly's message (scrubbed of anything that looks like a key).
    pub message: String,
    /// LaunchDarkly's error `id` or the `X-Request-Id` header, for support requests.
    pub request_id: Option<String>,
    /// What the user can do about it.
    pub hint: String,
    /// Attempts made (1 + retries).
    pub attempts: u32,
}

impl ApiErrorDetail {
    /// Builds the detail from a status and a raw body (JSON `{code,message,id}` or anything
    /// else, which becomes the message).
    pub fn from_response(
        operation: Operation,
        status: u16,
        body: &[u8],
        header_request_id: Option<String>,
        hint: String,
        attempts: u32,
    ) -> Self {
        // Server text is scrubbed first and cut after (`scrub_and_cut`): a key cut in half
        // would no longer look like a key, and its prefix would be shown.
        let (code, message, id, cap) = match serde_json::from_slice::<ErrorBody>(body) {
            Ok(b) => (b.code, b.message, b.id, MAX_JSON_TEXT_CHARS),
            Err(_) => {
                let text = String::from_utf8_lossy(body);
                let message = if text.trim().is_empty() {
                    String::from("(empty response body)")
                } else {
                    text.trim().to_owned()
                };
                (
                    format!("http_{status}"),
                    message,
                    None,
                    MAX_PLAIN_BODY_CHARS,
                )
            }
        };
        let hint = if status == 404 && code != NOT_FOUND_CODE {
            String::from(FOREIGN_404_HINT)
        } else {
            hint
        };
        ApiErrorDetail {
            operation,
            status,
            code: scrub_and_cut(&code, MAX_PLAIN_BODY_CHARS),
            message: scrub_and_cut(&message, cap),
            request_id: id
                .or(header_request_id)
                .map(|s| scrub_and_cut(&s, MAX_PLAIN_BODY_CHARS)),
            hint,
            attempts,
        }
    }
}

impl std::fmt::Display for ApiErrorDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} failed: HTTP {} {}: {}",
            self.operation, self.status, self.code, self.message
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        if !self.hint.is_empty() {
            write!(f, ". {}", self.hint)?;
        }
        Ok(())
    }
}

/// Errors from the LaunchDarkly client.
#[derive(Debug, Error)]
pub enum Error {
    /// The client configuration is unusable (bad `api_host`, unreadable CA file…).
    #[error("invalid LaunchDarkly client configuration: {0}")]
    Config(String),

    /// 400: LaunchDarkly rejected the request as invalid.
    #[error("{0}")]
    InvalidRequest(Box<ApiErrorDetail>),
    /// 401: the credential was rejected.
    #[error("{0}")]
    Unauthorized(Box<ApiErrorDetail>),
    /// 403: the credential lacks a permission.
    #[error("{0}")]
    Forbidden(Box<ApiErrorDetail>),
    /// 404: no such token or role.
    #[error("{0}")]
    NotFound(Box<ApiErrorDetail>),
    /// 409: a concurrent change conflicted, still after the bounded retries.
    #[error("{0}")]
    Conflict(Box<ApiErrorDetail>),
    /// 422: the JSON Patch could not be applied.
    #[error("{0}")]
    PatchFailed(Box<ApiErrorDetail>),
    /// 429: still rate limited after every retry.
    #[error("{0}")]
    RateLimited(Box<ApiErrorDetail>),
    /// 5xx: a server error (after retries, for requests that are safe to repeat).
    #[error("{0}")]
    Server(Box<ApiErrorDetail>),
    /// Any other unexpected status.
    #[error("{0}")]
    UnexpectedStatus(Box<ApiErrorDetail>),

    /// A create or reset was sent, but its outcome is unknown (timeout, connection lost, 5xx
    /// after sending). The token may or may not exist / have been reset; the client does not
    /// send it again. Look for it among tokens created at or after `started_at`.
    #[error(
        "{operation} may or may not have happened: {cause}. The request was sent at {}; the client did not repeat it",
        readable_utc(*.started_at_ms)
    )]
    OutcomeUnknown {
        /// The operation (create or reset).
        operation: Operation,
        /// When the request was first sent.
        started_at: SystemTime,
        /// `started_at` as epoch milliseconds.
        started_at_ms: i64,
        /// What went wrong (scrubbed).
        cause: String,
        /// The HTTP status, when the server answered (5xx, or any status whose body was
        /// over [`MAX_RESPONSE_BODY`](super::MAX_RESPONSE_BODY) and so not read).
        status: Option<u16>,
    },

    /// The server answered, but the response body is larger than the client reads
    /// ([`MAX_RESPONSE_BODY`](super::MAX_RESPONSE_BODY)). The request was sent, so this is
    /// not retried; for a request unsafe to repeat it is [`Error::OutcomeUnknown`] instead.
    #[error(
        "{operation}: the response body exceeds {} (HTTP {status}); LaunchDarkly's answers here are far smaller (the largest is a page of 25 tokens), so check that api_host is the LaunchDarkly API and that no proxy in between rewrites responses",
        describe_size(*.limit_bytes)
    )]
    ResponseTooLarge {
        /// The operation.
        operation: Operation,
        /// The HTTP status of the answer.
        status: u16,
        /// The cap that was exceeded, in bytes.
        limit_bytes: usize,
    },

    /// The request could not be completed (connection failures, per-attempt timeouts, a
    /// credential that cannot be sent, a rejected TLS certificate…).
    #[error("{operation} failed after {attempts} attempt(s): {message}. {hint}")]
    Transport {
        /// The operation.
        operation: Operation,
        /// Attempts made.
        attempts: u32,
        /// What went wrong, naming the host (scrubbed).
        message: String,
        /// How it was retried (or why not) and what to do.
        hint: String,
    },

    /// The overall deadline for the call (including retries) passed.
    #[error(
        "{operation} did not finish within the overall deadline of {deadline_secs} s ({attempts} attempt(s)); last problem: {last}"
    )]
    DeadlineExceeded {
        /// The operation.
        operation: Operation,
        /// The deadline.
        deadline_secs: u64,
        /// Attempts made.
        attempts: u32,
        /// The last failure seen.
        last: String,
    },

    /// A successful response could not be decoded.
    #[error("{operation}: could not decode the response at JSON path `{path}`: {message}")]
    Decode {
        /// The operation.
        operation: Operation,
        /// JSON path of the problem, like `totalCount` or `items[0]._id` (`.` for the
        /// whole body).
        path: String,
        /// What was wrong (scrubbed, at most a few hundred characters).
        message: String,
    },

    /// Paging through the token list did not end sensibly.
    #[error("listing access tokens: {0}")]
    Pagination(String),
}

impl Error {
    /// The API error detail, for HTTP error variants.
    pub fn detail(&self) -> Option<&ApiErrorDetail> {
        match self {
            Error::InvalidRequest(d)
            | Error::Unauthorized(d)
            | Error::Forbidden(d)
            | Error::NotFound(d)
            | Error::Conflict(d)
            | Error::PatchFailed(d)
            | Error::RateLimited(d)
            | Error::Server(d)
            | Error::UnexpectedStatus(d) => Some(d),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::OutcomeUnknown { status, .. } => *status,
            Error::ResponseTooLarge { status, .. } => Some(*status),
            other => other.detail().map(|d| d.status),
        }
    }

    /// Whether this is LaunchDarkly saying the object does not exist: a 404 with its
    /// documented error body (`code` `not_found`). Any other 404 (a wrong `api_host` path, a
    /// proxy's page) is an error, never a reason to drop a token from the state.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound(d) if d.code == NOT_FOUND_CODE)
    }

    /// Maps a status to its variant.
    pub fn from_detail(detail: ApiErrorDetail) -> Self {
        let d = Box::new(detail);
        match d.status {
            400 => Error::InvalidRequest(d),
            401 => Error::Unauthorized(d),
            403 => Error::Forbidden(d),
            404 => Error::NotFound(d),
            409 => Error::Conflict(d),
            422 => Error::PatchFailed(d),
            429 => Error::RateLimited(d),
            s if s >= 500 => Error::Server(d),
            _ => Error::UnexpectedStatus(d),
        }
    }
}

/// Epoch milliseconds as a UTC time people read (`2026-11-30 07:39:48 UTC`), never a raw
/// number unless it is out of range.
pub fn readable_utc(ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        None => format!("{ms} ms since the epoch"),
    }
}

/// The hint shown for an error status.
pub fn hint_for(
    operation: Operation,
    status: u16,
    credential_source: &str,
    attempts: u32,
) -> String {
    match status {
        400 => String::from(
            "The request body was rejected; check the token's role, custom roles and inline policy",
        ),
        401 => format!(
            "LaunchDarkly rejected the access token from {credential_source}: check that it is a valid, unexpired API access token (api-…), not an SDK or mobile key"
        ),
        403 => format!(
            "The access token is valid but not allowed to {operation}; it needs {}",
            operation.required_action()
        ),
        404 => String::from("It may have been deleted outside Terraform"),
        409 => String::from("A concurrent change conflicted; try again"),
        422 => {
            String::from("The patch could not be applied (e.g. removing a field that is not set)")
        }
        429 => format!(
            "Rate limited by LaunchDarkly after {attempts} attempt(s); lower max_concurrency, run with less -parallelism, or try again later"
        ),
        s if s >= 500 => String::from("LaunchDarkly had a server error; try again later"),
        _ => String::new(),
    }
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
