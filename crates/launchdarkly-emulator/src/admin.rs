//! The emulator's own admin endpoints under `/_emulator/`, for tests and CI scripts driving
//! a separately started emulator. Every call needs `Authorization: <admin key>` (one of the
//! keys the emulator was started with); API tokens created through the API are not enough.
//!
//! - `GET  /_emulator/tokens` — every token with its full secret
//! - `POST /_emulator/tokens` — seed tokens directly (`{"count": n, …SeedToken fields}`)
//! - `GET  /_emulator/clock`, `POST /_emulator/clock` `{"advanceMs": n}`
//! - `GET  /_emulator/faults`, `PUT /_emulator/faults` (a `Faults` object)
//! - `GET  /_emulator/requests` (header `X-Emulator-Dropped-Requests`: records dropped to
//!   keep the log bounded), `DELETE /_emulator/requests`

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

use super::faults::Faults;
use super::respond::{self, ApiError};
use super::shared::{Shared, lock};
use super::{SeedToken, seed};

/// On `GET /_emulator/requests`: how many records the bounded log dropped.
const DROPPED_HEADER: &str = "x-emulator-dropped-requests";

fn check(s: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let key = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    if !key.is_empty() && s.admin_keys.iter().any(|k| k == key) {
        Ok(())
    } else {
        Err(ApiError::unauthorized())
    }
}

fn body_json<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::invalid(e.to_string()))
}

/// A seed request: `count` tokens (default 1) shaped by the other fields
/// (a `SeedToken`). Parsed in two steps rather than with `#[serde(flatten)]`,
/// which cannot reject unknown fields and mishandles numbers.
fn parse_seed_request(body: &Bytes) -> Result<(u32, SeedToken), ApiError> {
    let mut v: serde_json::Value = body_json(body)?;
    let count = match v.as_object_mut().and_then(|m| m.remove("count")) {
        None | Some(serde_json::Value::Null) => 1,
        Some(c) => c
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| ApiError::invalid("count must be a non-negative integer".to_string()))?,
    };
    let token: SeedToken =
        serde_json::from_value(v).map_err(|e| ApiError::invalid(e.to_string()))?;
    Ok((count, token))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Advance {
    advance_ms: u64,
}

async fn tokens(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Result<Response, ApiError> {
    check(&s, &headers)?;
    let store = lock(&s.store);
    Ok(respond::json(StatusCode::OK, &store.tokens))
}

async fn seed_tokens(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    check(&s, &headers)?;
    let (count, token) = parse_seed_request(&body)?;
    let now = s.clock.now_ms();
    let mut store = lock(&s.store);
    let created: Vec<_> = (0..count)
        .map(|_| seed(&mut store, &token, now))
        .collect::<Result<_, _>>()
        .map_err(ApiError::invalid)?;
    s.persist(&store);
    Ok(respond::json(StatusCode::CREATED, &created))
}

async fn clock(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Result<Response, ApiError> {
    check(&s, &headers)?;
    Ok(respond::json(
        StatusCode::OK,
        &json!({"nowMs": s.clock.now_ms()}),
    ))
}

async fn advance(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    check(&s, &headers)?;
    let a: Advance = body_json(&body)?;
    let now = s.clock.advance(Duration::from_millis(a.advance_ms));
    s.persist(&lock(&s.store));
    Ok(respond::json(StatusCode::OK, &json!({"nowMs": now})))
}

async fn get_faults(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    check(&s, &headers)?;
    let f = lock(&s.faults).faults.clone();
    Ok(respond::json(StatusCode::OK, &f))
}

async fn put_faults(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    check(&s, &headers)?;
    let f: Faults = body_json(&body)?;
    lock(&s.faults).set(f.clone());
    Ok(respond::json(StatusCode::OK, &f))
}

async fn requests(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Result<Response, ApiError> {
    check(&s, &headers)?;
    let (records, dropped) = {
        let log = lock(&s.log);
        (log.records(), log.dropped())
    };
    let mut response = respond::json(StatusCode::OK, &records);
    response
        .headers_mut()
        .insert(DROPPED_HEADER, HeaderValue::from(dropped));
    Ok(response)
}

async fn clear_requests(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    check(&s, &headers)?;
    s.clear_requests();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The admin routes.
pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_emulator/tokens", get(tokens).post(seed_tokens))
        .route("/_emulator/clock", get(clock).post(advance))
        .route("/_emulator/faults", get(get_faults).put(put_faults))
        .route("/_emulator/requests", get(requests).delete(clear_requests))
}
