//! The request body cap: every API and admin request body is read (at most
//! `EmulatorConfig::max_body_bytes` of it) before the handler runs; a larger body gets
//! 413 with LaunchDarkly's error body shape and the connection is closed.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use super::respond::ApiError;
use super::shared::Shared;

/// Default cap on a request body. The largest body this API takes (a token with an inline
/// policy) is a few KiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 256 * 1024;

/// How much of an over-size body is still read (and discarded) before answering, so that a
/// client still writing it can read the 413 instead of seeing the connection reset.
const DRAIN_BYTES: usize = 1024 * 1024;

fn too_large(max: usize) -> Response {
    let mut r = ApiError::too_large(max).into_response();
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// Reads what is left of an over-size body, up to [`DRAIN_BYTES`], discarding it.
async fn drain<S>(mut stream: S)
where
    S: futures::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Unpin,
{
    let mut seen = 0_usize;
    while seen <= DRAIN_BYTES {
        match stream.next().await {
            Some(Ok(chunk)) => seen = seen.saturating_add(chunk.len()),
            Some(Err(_)) | None => return,
        }
    }
}

/// The middleware: buffers the body within the cap, or answers 413.
pub async fn body_limit(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let max = s.max_body_bytes;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(len) = declared {
        if len > u64::try_from(max).unwrap_or(u64::MAX) {
            if len <= u64::try_from(max.saturating_add(DRAIN_BYTES)).unwrap_or(u64::MAX) {
                drain(req.into_body().into_data_stream()).await;
            }
            return too_large(max);
        }
    }
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut buf: Vec<u8> = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(_) => return ApiError::invalid("could not read the request body").into_response(),
        };
        if chunk.len() > max.saturating_sub(buf.len()) {
            drain(stream).await;
            return too_large(max);
        }
        buf.extend_from_slice(&chunk);
    }
    next.run(Request::from_parts(parts, Body::from(buf))).await
}
