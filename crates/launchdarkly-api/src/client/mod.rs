//! The LaunchDarkly API client used by the provider: access-token operations and the
//! custom-role lookup, with retries, a process-wide concurrency limiter, and errors that say
//! what to do.
//!
//! Layout: `request` builds requests as plain data, `transport` sends one attempt, `retry`
//! decides about retries (pure), `limiter` caps concurrency and pauses on 429, `pagination`
//! holds the list stop rule, `error` the error type, `host` the `api_host` rules.
//!
//! ```no_run
//! # async fn demo() -> Result<(), tfld::client::Error> {
//! use tfld::client::{Client, ClientConfig};
//! let client = Client::new(ClientConfig::new("app.launchdarkly.com", "api-…"))?;
//! let tokens = client.list_all_tokens(false).await?;
//! # Ok(()) }
//! ```

mod error;
mod host;
mod limiter;
mod pagination;
pub mod request;
pub mod retry;
mod transport;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::time::Instant;

pub use error::{ApiErrorDetail, Error, hint_for};
pub use host::{DEFAULT_API_HOST, normalize_api_host};
pub use limiter::{DEFAULT_MAX_CONCURRENCY, Limiter, LimiterStats};
pub use pagination::{MAX_PAGES, Pager, Step};
pub use request::{ApiRequest, DEFAULT_PAGE_LIMIT, ListParams, Operation, Repeatable};
pub use retry::{RateLimitInfo, RetryPolicy};

use crate::models::{AccessTokenPost, CustomRole, PatchOperation, Token, Tokens};
use crate::secret::Secret;
use retry::{AttemptOutcome, Decision, RetryReason, RetryState};
use transport::{RawResponse, Transport};

/// Default per-attempt timeout (the official provider's `http_timeout` default).
pub const DEFAULT_HTTP_TIMEOUT: Duration = Duration::from_secs(20);
/// Default deadline for one call including all its retries and waits.
pub const DEFAULT_OVERALL_TIMEOUT: Duration = Duration::from_secs(300);

/// How to build a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `api_host`: a host name (https is implied) or a URL. See [`normalize_api_host`].
    pub api_host: String,
    /// The access token (or OAuth token), sent raw in `Authorization`.
    pub credential: Secret,
    /// Where the credential came from, named in 401 hints (e.g. "the LAUNCHDARKLY_ACCESS_TOKEN
    /// environment variable").
    pub credential_source: String,
    /// Bound on each attempt (connect, send, read the whole response).
    pub http_timeout: Duration,
    /// Bound on a whole call, retries and waits included.
    pub overall_timeout: Duration,
    /// Attempts in flight at once across every clone of the client (0 = default 10).
    pub max_concurrency: usize,
    /// Allow `http://` to a non-loopback host.
    pub allow_insecure_http: bool,
    /// Retry limits.
    pub retry: RetryPolicy,
    /// Provider version for `User-Agent: terraform-provider-launchdarkly/<version>`.
    pub version: String,
    /// Share an existing limiter instead of creating one (one limiter per process).
    pub limiter: Option<Arc<Limiter>>,
}

impl ClientConfig {
    /// A configuration with the defaults: 20 s per attempt, 300 s per call, concurrency 10.
    pub fn new(api_host: impl Into<String>, credential: impl Into<Secret>) -> Self {
        ClientConfig {
            api_host: api_host.into(),
            credential: credential.into(),
            credential_source: String::from(
                "the provider's access_token attribute or the LAUNCHDARKLY_ACCESS_TOKEN environment variable",
            ),
            http_timeout: DEFAULT_HTTP_TIMEOUT,
            overall_timeout: DEFAULT_OVERALL_TIMEOUT,
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            allow_insecure_http: false,
            retry: RetryPolicy::default(),
            version: String::from(env!("CARGO_PKG_VERSION")),
            limiter: None,
        }
    }
}

/// The LaunchDarkly client. Cheap to clone; clones share the connection pool and limiter.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    transport: Transport,
    credential_source: String,
    policy: RetryPolicy,
    overall_timeout: Duration,
    limiter: Arc<Limiter>,
}

fn now_ms() -> i64 {
    epoch_ms(SystemTime::now())
}

fn epoch_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Client {
    /// Builds a client. Uses rustls with the platform's roots (or `SSL_CERT_FILE` /
    /// `SSL_CERT_DIR` when set), and honours `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let base_url = normalize_api_host(&config.api_host, config.allow_insecure_http)?;
        if config.credential.is_empty() {
            return Err(Error::Config(format!(
                "no access token: set {}",
                config.credential_source
            )));
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.http_timeout.min(Duration::from_secs(30)))
            .build()
            .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?;
        let user_agent = format!("terraform-provider-launchdarkly/{}", config.version);
        let limiter = config
            .limiter
            .unwrap_or_else(|| Limiter::new(config.max_concurrency));
        Ok(Client {
            inner: Arc::new(Inner {
                transport: Transport::new(
                    http,
                    base_url,
                    config.credential,
                    user_agent,
                    config.http_timeout,
                ),
                credential_source: config.credential_source,
                policy: config.retry,
                overall_timeout: config.overall_timeout,
                limiter,
            }),
        })
    }

    /// The normalised base URL.
    pub fn base_url(&self) -> &str {
        self.inner.transport.base_url()
    }

    /// The shared limiter (for its statistics, or to share it with another client).
    pub fn limiter(&self) -> &Arc<Limiter> {
        &self.inner.limiter
    }

    /// One page of `GET /api/v2/tokens`. Use this to fetch pages concurrently once the first
    /// page's `totalCount` is known.
    pub async fn list_tokens_page(&self, params: ListParams) -> Result<Tokens, Error> {
        let req = request::list_tokens(params);
        let resp = self.execute(&req).await?;
        decode_tokens(req.operation, &resp.body)
    }

    /// Every token visible to the credential (all members' personal tokens too when
    /// `show_all` and the token is an Admin), paging with `limit=25`.
    pub async fn list_all_tokens(&self, show_all: bool) -> Result<Vec<Token>, Error> {
        let mut pager = Pager::new(DEFAULT_PAGE_LIMIT);
        let mut all = Vec::new();
        loop {
            let page = self
                .list_tokens_page(ListParams {
                    show_all,
                    limit: pager.limit(),
                    offset: pager.offset(),
                })
                .await?;
            let step = pager
                .accept(page.items.len(), page.total_count)
                .map_err(Error::Pagination)?;
            all.extend(page.items);
            if step == Step::Done {
                return Ok(all);
            }
        }
    }

    /// `POST /api/v2/tokens`. The returned token's `token` is the full secret. Never
    /// repeated after it may have reached the server: such failures are
    /// [`Error::OutcomeUnknown`].
    pub async fn create_token(&self, body: &AccessTokenPost) -> Result<Token, Error> {
        let req = request::create_token(body).map_err(|e| Error::Config(e.to_string()))?;
        self.call(&req).await
    }

    /// `GET /api/v2/tokens/{id}` (the `token` field holds the last four characters).
    pub async fn get_token(&self, id: &str) -> Result<Token, Error> {
        self.call(&request::get_token(id)).await
    }

    /// `PATCH /api/v2/tokens/{id}` with JSON Patch operations.
    pub async fn patch_token(&self, id: &str, ops: &[PatchOperation]) -> Result<Token, Error> {
        let req = request::patch_token(id, ops).map_err(|e| Error::Config(e.to_string()))?;
        self.call(&req).await
    }

    /// `DELETE /api/v2/tokens/{id}`.
    pub async fn delete_token(&self, id: &str) -> Result<(), Error> {
        self.execute(&request::delete_token(id)).await.map(|_| ())
    }

    /// `POST /api/v2/tokens/{id}/reset[?expiry=ms]`: a new secret (returned in full); the
    /// old one keeps working until `expiry_ms` (epoch ms), or stops at once without it.
    pub async fn reset_token(&self, id: &str, expiry_ms: Option<i64>) -> Result<Token, Error> {
        self.call(&request::reset_token(id, expiry_ms)).await
    }

    /// `GET /api/v2/roles/{keyOrId}`: maps a custom role key to its ID and back.
    pub async fn get_custom_role(&self, key_or_id: &str) -> Result<CustomRole, Error> {
        self.call(&request::get_custom_role(key_or_id)).await
    }

    async fn call<T: DeserializeOwned>(&self, req: &ApiRequest) -> Result<T, Error> {
        let resp = self.execute(req).await?;
        decode(req.operation, &resp.body)
    }

    /// Sends `req` with retries, inside the limiter and the overall deadline. Returns the
    /// response only for a 2xx status.
    pub async fn execute(&self, req: &ApiRequest) -> Result<RawResponse, Error> {
        let inner = &self.inner;
        let started_at = SystemTime::now();
        let first_attempt = Instant::now();
        let deadline = first_attempt + inner.overall_timeout;
        let mut state = RetryState::default();
        let mut attempts: u32 = 0;
        let mut last_problem = String::from("none");
        let mut maybe_sent_once = false;
        let deadline_error = |attempts: u32, last: String, maybe_sent: bool| {
            if maybe_sent && req.repeatable == Repeatable::Unsafe {
                outcome_unknown(
                    req,
                    started_at,
                    format!("overall deadline passed ({last})"),
                    None,
                )
            } else {
                Error::DeadlineExceeded {
                    operation: req.operation,
                    deadline_secs: inner.overall_timeout.as_secs(),
                    attempts,
                    last,
                }
            }
        };
        loop {
            let Ok(permit) = tokio::time::timeout_at(deadline, inner.limiter.acquire()).await
            else {
                return Err(deadline_error(attempts, last_problem, maybe_sent_once));
            };
            attempts += 1;
            let sent = tokio::time::timeout_at(deadline, inner.transport.send(req)).await;
            drop(permit);
            let result = match sent {
                Ok(r) => r,
                Err(_) => {
                    return Err(deadline_error(
                        attempts,
                        String::from("attempt cut off by the deadline"),
                        true,
                    ));
                }
            };
            let now = now_ms();
            let (outcome, rate) = match &result {
                Ok(resp) => {
                    let rate = RateLimitInfo::from_headers(
                        resp.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                        now,
                    );
                    if let Some(remaining) = rate.remaining {
                        inner
                            .limiter
                            .observe_remaining(remaining, rate.header_wait(now));
                    }
                    (AttemptOutcome::Status(resp.status), rate)
                }
                Err(f) => {
                    maybe_sent_once |= f.maybe_sent;
                    let o = if f.maybe_sent {
                        AttemptOutcome::MaybeSent
                    } else {
                        AttemptOutcome::NotSent
                    };
                    (o, RateLimitInfo::default())
                }
            };
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
            match decision {
                Decision::Retry {
                    wait,
                    pause_everyone,
                    reason,
                } => {
                    last_problem = match &result {
                        Ok(resp) => format!("HTTP {}", resp.status),
                        Err(f) => f.message.clone(),
                    };
                    tracing::debug!(
                        operation = req.operation.name(),
                        attempt = attempts,
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        problem = %last_problem,
                        "retrying LaunchDarkly request"
                    );
                    if Instant::now()
                        .checked_add(wait)
                        .is_none_or(|t| t > deadline)
                    {
                        if reason == RetryReason::RateLimited {
                            if let Ok(resp) = &result {
                                return Err(self.status_error(req, resp, attempts));
                            }
                        }
                        return Err(deadline_error(attempts, last_problem, maybe_sent_once));
                    }
                    if pause_everyone {
                        inner.limiter.pause_for(wait);
                    }
                    if reason == RetryReason::Conflict {
                        state.conflicts += 1;
                    } else {
                        state.retries += 1;
                    }
                    tokio::time::sleep(wait).await;
                }
                Decision::Stop | Decision::Exhausted(_) => {
                    return match result {
                        Ok(resp) if (200..300).contains(&resp.status) => Ok(resp),
                        Ok(resp) => {
                            if resp.status >= 500 && req.repeatable == Repeatable::Unsafe {
                                let detail = self.detail(req, &resp, attempts);
                                Err(outcome_unknown(
                                    req,
                                    started_at,
                                    format!(
                                        "HTTP {} {}: {}",
                                        detail.status, detail.code, detail.message
                                    ),
                                    Some(resp.status),
                                ))
                            } else {
                                Err(self.status_error(req, &resp, attempts))
                            }
                        }
                        Err(f) if f.maybe_sent && req.repeatable == Repeatable::Unsafe => {
                            Err(outcome_unknown(req, started_at, f.message, None))
                        }
                        Err(f) => Err(Error::Transport {
                            operation: req.operation,
                            attempts,
                            message: f.message,
                        }),
                    };
                }
            }
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

/// Decodes a JSON body, naming the field when serde can.
fn decode<T: DeserializeOwned>(operation: Operation, body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| Error::Decode {
        operation,
        path: String::from("."),
        message: e.to_string(),
    })
}

/// Decodes a token list item by item, so an error names `items[i]`.
fn decode_tokens(operation: Operation, body: &[u8]) -> Result<Tokens, Error> {
    let mut value: Value = decode(operation, body)?;
    let items = match value.as_object_mut().and_then(|o| o.remove("items")) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(Error::Decode {
                operation,
                path: String::from("items"),
                message: String::from("expected an array"),
            });
        }
    };
    let mut page: Tokens = serde_json::from_value(value).map_err(|e| Error::Decode {
        operation,
        path: String::from("."),
        message: e.to_string(),
    })?;
    page.items = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value(item).map_err(|e| Error::Decode {
                operation,
                path: format!("items[{i}]"),
                message: e.to_string(),
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_names_the_failing_item() {
        let body = br#"{"items":[{"_id":"a","ownerId":"o","memberId":"m","creationDate":1,"lastModified":1,"_links":{}},{"_id":"b"}],"totalCount":2}"#;
        match decode_tokens(Operation::ListTokens, body) {
            Err(Error::Decode { path, message, .. }) => {
                assert_eq!(path, "items[1]");
                assert!(message.contains("ownerId"), "{message}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    proptest::proptest! {
        #[test]
        fn decoding_arbitrary_bodies_never_panics(body in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = decode_tokens(Operation::ListTokens, &body);
            let _ = decode::<Token>(Operation::GetToken, &body);
            let _ = ApiErrorDetail::from_response(Operation::GetToken, 500, &body, None, String::new(), 1);
        }
    }

    #[test]
    fn empty_credential_is_a_config_error_naming_the_source() {
        let e = Client::new(ClientConfig::new("app.launchdarkly.com", "")).err();
        let text = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("LAUNCHDARKLY_ACCESS_TOKEN"), "{text}");
    }

    #[test]
    fn client_debug_does_not_show_the_credential() {
        let c = Client::new(ClientConfig::new(
            "app.launchdarkly.com",
            "api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b",
        ))
        .expect("client");
        let text = format!("{c:?}");
        assert!(!text.contains("0b6f8a1e"), "{text}");
        assert!(text.contains("4a5b"), "{text}");
    }
}
