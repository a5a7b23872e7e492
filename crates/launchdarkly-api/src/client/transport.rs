//! The one place where requests go on the wire: turns an [`ApiRequest`] into an HTTP request
//! with the LaunchDarkly headers, sends it once with the per-attempt timeout, and reads the
//! response body chunk by chunk under the [`MAX_RESPONSE_BODY`] cap (`body`). Retrying,
//! limiting and error mapping live in the caller.

use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};

use super::body::{CappedBody, MAX_RESPONSE_BODY, TooLarge};
pub use super::failure::TransportFailure;
use super::failure::{bad_credential_header, classify};
use super::request::ApiRequest;
use crate::models::API_VERSION;
use crate::secret::Secret;

/// A complete response.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers as `(lower-case name, value)` pairs (non-UTF-8 values are skipped).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first header named `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Everything needed to send.
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    base_url: String,
    credential: Secret,
    user_agent: String,
    http_timeout: Duration,
    max_body: usize,
}

impl Transport {
    /// Builds the transport. `base_url` has no trailing slash.
    pub fn new(
        http: reqwest::Client,
        base_url: String,
        credential: Secret,
        user_agent: String,
        http_timeout: Duration,
    ) -> Self {
        Transport {
            http,
            base_url,
            credential,
            user_agent,
            http_timeout,
            max_body: MAX_RESPONSE_BODY,
        }
    }

    /// The same transport with another body cap (tests use a small one).
    #[cfg(test)]
    pub fn with_max_body(mut self, max_body: usize) -> Self {
        self.max_body = max_body;
        self
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The headers every request carries. The credential header is marked sensitive.
    pub fn headers(&self, with_body: bool) -> Result<HeaderMap, String> {
        let mut h = HeaderMap::new();
        let mut auth = HeaderValue::from_str(self.credential.expose()).map_err(|_| {
            String::from("the access token contains characters not allowed in an HTTP header")
        })?;
        auth.set_sensitive(true);
        h.insert(AUTHORIZATION, auth);
        h.insert("LD-API-Version", HeaderValue::from(API_VERSION));
        h.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Ok(ua) = HeaderValue::from_str(&self.user_agent) {
            h.insert(USER_AGENT, ua);
        }
        if with_body {
            h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        Ok(h)
    }

    /// Sends `req` once and reads the response, refusing a body over the cap: at once when
    /// `Content-Length` announces it, else as soon as the chunks read pass it.
    pub async fn send(&self, req: &ApiRequest) -> Result<RawResponse, TransportFailure> {
        let url = format!("{}{}", self.base_url, req.path);
        // POST and PATCH always declare JSON (the reset call has no body, but LaunchDarkly was
        // observed to be picky about a bodyless POST without it).
        let declares_json =
            req.body.is_some() || matches!(req.method, super::request::Method::Post);
        let headers = self
            .headers(declares_json)
            .map_err(|_| bad_credential_header())?;
        let mut builder = self
            .http
            .request(req.method.to_reqwest(), url)
            .headers(headers)
            .timeout(self.http_timeout);
        if !req.query.is_empty() {
            builder = builder.query(&req.query);
        }
        if let Some(body) = &req.body {
            let bytes = serde_json::to_vec(body).map_err(|e| TransportFailure::Unfixable {
                cause: format!("could not encode the request body: {e}"),
                fix: String::from("This is a provider bug: please report it"),
            })?;
            builder = builder.body(bytes);
        }
        let failure = |e: reqwest::Error| classify(&e, &self.base_url);
        let mut response = builder.send().await.map_err(failure)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (n.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        let limit = self.max_body;
        let too_large = |_: TooLarge| TransportFailure::BodyTooLarge { status, limit };
        let mut body = CappedBody::new(limit, response.content_length()).map_err(too_large)?;
        while let Some(chunk) = response.chunk().await.map_err(failure)? {
            body.push(&chunk).map_err(too_large)?;
        }
        Ok(RawResponse {
            status,
            headers,
            body: body.into_bytes(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_the_raw_token_api_version_and_user_agent() {
        let t = Transport::new(
            reqwest::Client::new(),
            "https://app.launchdarkly.com".into(),
            Secret::new("api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"),
            "terraform-provider-launchdarkly/1.2.3".into(),
            Duration::from_secs(1),
        );
        let h = t.headers(true).expect("headers");
        let auth = h.get(AUTHORIZATION).expect("auth");
        assert_eq!(
            auth.to_str().ok(),
            Some("api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b")
        );
        assert!(auth.is_sensitive());
        assert_eq!(
            h.get("LD-API-Version").and_then(|v| v.to_str().ok()),
            Some("20240415")
        );
        assert_eq!(
            h.get(USER_AGENT).and_then(|v| v.to_str().ok()),
            Some("terraform-provider-launchdarkly/1.2.3")
        );
        assert_eq!(
            h.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()),
            Some("application/json")
        );
        assert!(
            t.headers(false)
                .expect("headers")
                .get(CONTENT_TYPE)
                .is_none()
        );
        assert!(!format!("{t:?}").contains("0b6f8a1e"));
    }

    fn transport(base_url: &str, max_body: usize) -> Transport {
        Transport::new(
            reqwest::Client::new(),
            base_url.to_owned(),
            Secret::new("api-x"),
            "test".into(),
            Duration::from_secs(5),
        )
        .with_max_body(max_body)
    }

    fn get() -> ApiRequest {
        super::super::request::get_token("t")
    }

    #[tokio::test]
    async fn a_declared_length_over_the_cap_is_refused_before_the_body_arrives() {
        // The server never sends the body it announces: only an early refusal ends well.
        let server = super::super::test_server::TestServer::start(
            "HTTP/1.1 200 OK\r\nContent-Length: 1025\r\n\r\n",
            0,
        )
        .await;
        let got = transport(server.base_url(), 1024).send(&get()).await;
        assert_eq!(
            got.err(),
            Some(TransportFailure::BodyTooLarge {
                status: 200,
                limit: 1024
            })
        );
    }

    #[tokio::test]
    async fn a_streamed_body_over_the_cap_is_cut_off() {
        let server = super::super::test_server::TestServer::start(
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n",
            256 * 1024,
        )
        .await;
        let failure = transport(server.base_url(), 1024)
            .send(&get())
            .await
            .expect_err("over the cap");
        assert_eq!(
            failure,
            TransportFailure::BodyTooLarge {
                status: 200,
                limit: 1024
            }
        );
        assert!(failure.maybe_sent());
        assert!(
            failure.message().contains("exceeds 1 KiB"),
            "{}",
            failure.message()
        );
    }

    #[tokio::test]
    async fn a_body_at_the_cap_is_read_whole() {
        for head in [
            "HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n",
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n",
        ] {
            let server = super::super::test_server::TestServer::start(head, 1024).await;
            let resp = transport(server.base_url(), 1024)
                .send(&get())
                .await
                .expect("within the cap");
            assert_eq!((resp.status, resp.body.len()), (200, 1024), "{head}");
        }
    }
}
