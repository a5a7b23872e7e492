//! The LaunchDarkly API client used by the provider: access-token operations and the
//! custom-role lookup, with retries, a process-wide concurrency limiter, and errors that say
//! what to do.
//!
//! Layout: `endpoint` describes each operation as data (method, path template, name, role
//! action, repeat rule), `request` builds requests from it as plain data, `transport` sends
//! one attempt and reads the body under the `body` cap, `execute` runs the attempt loop and
//! maps its end to a result, `retry` decides about retries (pure), `limiter` caps
//! concurrency and pauses on 429, `decode` turns bodies into models with JSON paths in its
//! errors, `pagination` holds the list stop rule, `error` the error type, `host` the
//! `api_host` rules.
//!
//! ```no_run
//! # async fn demo() -> Result<(), launchdarkly_api::client::Error> {
//! use launchdarkly_api::client::{Client, ClientConfig};
//! let client = Client::new(ClientConfig::new("app.launchdarkly.com", "api-…"))?;
//! let tokens = client.list_all_tokens(false).await?;
//! # Ok(()) }
//! ```

mod body;
mod decode;
mod endpoint;
mod error;
mod execute;
mod failure;
mod host;
mod limiter;
mod pagination;
pub mod request;
pub mod retry;
#[cfg(test)]
mod test_server;
mod transport;

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

pub use body::MAX_RESPONSE_BODY;
pub use endpoint::{Endpoint, RepeatRule};
pub use error::{ApiErrorDetail, Error, hint_for};
pub use host::{DEFAULT_API_HOST, normalize_api_host};
pub use limiter::{DEFAULT_MAX_CONCURRENCY, Limiter, LimiterStats};
pub use pagination::{MAX_PAGES, Pager, Step};
pub use request::{ApiRequest, DEFAULT_PAGE_LIMIT, ListParams, Operation, Repeatable};
pub use retry::{RateLimitInfo, RetryPolicy};

use crate::models::{AccessTokenPost, CustomRole, PatchOperation, Token, Tokens};
use crate::secret::Secret;
use decode::decode;
use transport::Transport;

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
        // Checked here as well as by the provider, so no caller sends (and retries) a
        // credential that can never be a header value.
        if reqwest::header::HeaderValue::from_str(config.credential.expose()).is_err() {
            return Err(Error::Config(format!(
                "the access token from {} contains characters not allowed in an HTTP header \
                 (a line break, a trailing \\r from a file saved with Windows line endings, or a non-ASCII character); copy it again",
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
        decode(req.operation, &resp.body)
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_credential_is_a_config_error_naming_the_source() {
        let e = Client::new(ClientConfig::new("app.launchdarkly.com", "")).err();
        let text = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("LAUNCHDARKLY_ACCESS_TOKEN"), "{text}");
    }

    /// Issue 12 item 8: a credential that cannot be a header fails before any request,
    /// naming its source, never echoing it.
    #[test]
    fn a_credential_that_cannot_be_a_header_fails_at_once() {
        let mut config = ClientConfig::new("app.launchdarkly.com", "api-secret-value\r");
        config.credential_source =
            String::from("the environment variable LAUNCHDARKLY_OAUTH_TOKEN");
        let text = Client::new(config)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(text.contains("LAUNCHDARKLY_OAUTH_TOKEN"), "{text}");
        assert!(text.contains("not allowed in an HTTP header"), "{text}");
        assert!(!text.contains("secret-value"), "{text}");
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
