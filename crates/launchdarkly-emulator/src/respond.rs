//! Building responses: LaunchDarkly-style error bodies `{code, message, id}` with the
//! documented status, JSON success bodies, and the "connection dropped" response.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Serialize;

use crate::models::ErrorBody;

/// Marker extension on a response whose connection is dropped.
#[derive(Debug, Clone, Copy)]
pub struct Dropped;

/// An API error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// LaunchDarkly `code`.
    pub code: &'static str,
    /// Message.
    pub message: String,
}

impl ApiError {
    /// 400 `invalid_request`.
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_request",
            message: message.into(),
        }
    }
    /// 401 `unauthorized`.
    pub fn unauthorized() -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: String::from("Invalid access token"),
        }
    }
    /// 403 `forbidden`.
    pub fn forbidden() -> Self {
        ApiError {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: String::from("Forbidden. Access to the requested resource was denied."),
        }
    }
    /// 404 `not_found`.
    pub fn not_found() -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: String::from("Invalid resource identifier"),
        }
    }
    /// 405 `method_not_allowed`.
    pub fn method_not_allowed() -> Self {
        ApiError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "method_not_allowed",
            message: String::from("Method not allowed"),
        }
    }
    /// 409 `optimistic_locking_error`.
    pub fn conflict() -> Self {
        ApiError {
            status: StatusCode::CONFLICT,
            code: "optimistic_locking_error",
            message: String::from("Conflict. Optimistic lock error. Try again later."),
        }
    }
    /// 413 `payload_too_large` (LaunchDarkly documents no code for it: the emulator's
    /// choice, in the documented `{code, message, id}` shape).
    pub fn too_large(max_bytes: usize) -> Self {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "payload_too_large",
            message: format!("Request body too large: the limit is {max_bytes} bytes"),
        }
    }
    /// 422 `patch_failed`.
    pub fn patch_failed() -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "patch_failed",
            message: String::from("Unprocessable entity. Could not apply patch."),
        }
    }
    /// 429 `rate_limited`.
    pub fn rate_limited() -> Self {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "rate_limited",
            message: String::from("You've exceeded the API rate limit. Try again later."),
        }
    }
    /// An injected 5xx.
    pub fn server(status: u16) -> Self {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            code: "internal_server_error",
            message: String::from("The emulator injected a server error"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code.to_owned(),
            message: self.message,
            id: Some(uuid::Uuid::new_v4().to_string()),
        };
        json(self.status, &body)
    }
}

/// A JSON response.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => {
            let mut r = Response::new(Body::from(bytes));
            *r.status_mut() = status;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        Err(e) => {
            let mut r = Response::new(Body::from(format!("encoding failed: {e}")));
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r
        }
    }
}

/// A 200 whose body is `len` bytes (at least the empty page's length): spaces, then an
/// empty token page, so it is valid JSON that only a size cap rejects. `Content-Length` is
/// honest, and the padding is produced chunk by chunk as the client reads, so the emulator
/// never holds it in memory; a client that hangs up ends the stream.
pub fn oversized_json(len: u64) -> Response {
    const PAGE: &[u8] = br#"{"items":[],"totalCount":0,"_links":{}}"#;
    const CHUNK: usize = 64 * 1024;
    let page_len = u64::try_from(PAGE.len()).unwrap_or(u64::MAX);
    let len = len.max(page_len);
    let padding = len - page_len;
    let chunk_len = u64::try_from(CHUNK).unwrap_or(u64::MAX);
    let chunks = padding.div_ceil(chunk_len);
    let spaces = Bytes::from(vec![b' '; CHUNK]);
    let pad = futures::stream::iter(0..chunks).map(move |i| {
        let n = if i + 1 == chunks {
            padding - i * chunk_len
        } else {
            chunk_len
        };
        Ok::<Bytes, std::io::Error>(spaces.slice(..usize::try_from(n).unwrap_or(CHUNK)))
    });
    let stream = pad.chain(futures::stream::once(async {
        Ok::<Bytes, std::io::Error>(Bytes::from_static(PAGE))
    }));
    let mut r = Response::new(Body::from_stream(stream));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    r
}

/// A response whose body fails immediately, so the client never gets a usable answer and
/// the connection is closed.
pub fn dropped() -> Response {
    let stream = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "emulator dropped the connection",
        ))
    });
    let mut r = Response::new(Body::from_stream(stream));
    r.extensions_mut().insert(Dropped);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_oversized_body_has_the_announced_length_and_is_a_valid_empty_page() {
        for len in [0u64, 100, 64 * 1024, 3 * 64 * 1024 + 7] {
            let r = oversized_json(len);
            let announced = r
                .headers()
                .get(header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .expect("Content-Length");
            let body = axum::body::to_bytes(r.into_body(), usize::MAX)
                .await
                .expect("body");
            assert_eq!(u64::try_from(body.len()).ok(), Some(announced), "{len}");
            assert!(announced >= len, "{len}");
            let page: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON");
            assert_eq!(page["totalCount"], 0);
        }
    }
}
