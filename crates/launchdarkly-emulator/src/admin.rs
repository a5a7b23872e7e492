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
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
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

/// The admin endpoints' guard and state: extracting it checks `Authorization` against the
/// admin keys (401 otherwise). It comes first in every handler; bodies were already read
/// whole by `limit::body_limit`, so a handler's `Bytes` cannot fail after it.
struct Admin(Arc<Shared>);

impl FromRequestParts<Arc<Shared>> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &Arc<Shared>) -> Result<Self, ApiError> {
        let key = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .trim();
        if !key.is_empty() && s.admin_keys.iter().any(|k| k == key) {
            Ok(Admin(Arc::clone(s)))
        } else {
            Err(ApiError::unauthorized())
        }
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

async fn tokens(Admin(s): Admin) -> Result<Response, ApiError> {
    let store = lock(&s.store);
    Ok(respond::json(StatusCode::OK, &store.tokens))
}

async fn seed_tokens(Admin(s): Admin, body: Bytes) -> Result<Response, ApiError> {
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

async fn clock(Admin(s): Admin) -> Result<Response, ApiError> {
    Ok(respond::json(
        StatusCode::OK,
        &json!({"nowMs": s.clock.now_ms()}),
    ))
}

async fn advance(Admin(s): Admin, body: Bytes) -> Result<Response, ApiError> {
    let a: Advance = body_json(&body)?;
    let now = s.clock.advance(Duration::from_millis(a.advance_ms));
    s.persist(&lock(&s.store));
    Ok(respond::json(StatusCode::OK, &json!({"nowMs": now})))
}

async fn get_faults(Admin(s): Admin) -> Result<Response, ApiError> {
    let f = lock(&s.faults).faults.clone();
    Ok(respond::json(StatusCode::OK, &f))
}

async fn put_faults(Admin(s): Admin, body: Bytes) -> Result<Response, ApiError> {
    let f: Faults = body_json(&body)?;
    lock(&s.faults).set(f.clone());
    Ok(respond::json(StatusCode::OK, &f))
}

async fn requests(Admin(s): Admin) -> Result<Response, ApiError> {
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

async fn clear_requests(Admin(s): Admin) -> Result<Response, ApiError> {
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
