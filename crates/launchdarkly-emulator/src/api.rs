//! The LaunchDarkly API routes: the six `/api/v2/tokens` operations and
//! `GET /api/v2/roles/{keyOrId}`, with LaunchDarkly's authentication, visibility,
//! pagination, JSON Patch and reset semantics. This file holds what every route shares
//! (authentication, parameters, visibility) and the reads; the list is in `api/list.rs`,
//! the writes (create, patch, reset) in `api/write.rs`.

use std::convert::Infallible;
use std::sync::{Arc, MutexGuard};

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::respond::{self, ApiError};
use super::shared::{Shared, lock};
use super::store::{EmulatedToken, Store};

mod list;
mod write;

pub use list::list;
pub use write::{create, patch, reset};

type ApiResult = Result<Response, ApiError>;

fn credential(headers: &HeaderMap) -> &str {
    let raw = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    raw.strip_prefix("Bearer ").unwrap_or(raw).trim()
}

/// Authenticates the request; returns (a copy of) the caller's token and records the use.
fn authenticate(
    store: &mut Store,
    headers: &HeaderMap,
    now_ms: i64,
) -> Result<EmulatedToken, ApiError> {
    let idx = store
        .authenticate(credential(headers), now_ms)
        .ok_or_else(ApiError::unauthorized)?;
    let t = store
        .tokens
        .get_mut(idx)
        .ok_or_else(ApiError::unauthorized)?;
    t.last_used = Some(now_ms);
    Ok(t.clone())
}

/// What every API handler starts from: the shared state and the request headers. Extracting
/// it cannot fail; the caller is authenticated by [`Api::caller`] in the handler, so after the
/// route's other extractors (path, query, body).
pub struct Api {
    shared: Arc<Shared>,
    headers: HeaderMap,
}

impl FromRequestParts<Arc<Shared>> for Api {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, s: &Arc<Shared>) -> Result<Self, Infallible> {
        Ok(Api {
            shared: Arc::clone(s),
            headers: parts.headers.clone(),
        })
    }
}

impl Api {
    /// How every route starts: the emulated now, the locked store and the authenticated
    /// caller.
    fn caller(&self) -> Result<(i64, MutexGuard<'_, Store>, EmulatedToken), ApiError> {
        let now = self.shared.clock.now_ms();
        let mut store = lock(&self.shared.store);
        let me = authenticate(&mut store, &self.headers, now)?;
        Ok((now, store, me))
    }
}

/// Only Admin tokens manage tokens (custom roles and inline policies are not evaluated).
fn require_admin(caller: &EmulatedToken) -> Result<(), ApiError> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect()
    })
    .unwrap_or_default()
}

fn int_param(pairs: &[(String, String)], name: &str) -> Result<Option<i64>, ApiError> {
    match pairs.iter().find(|(k, _)| k == name) {
        None => Ok(None),
        Some((_, v)) => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ApiError::invalid(format!("{name}: expected an integer, got {v:?}"))),
    }
}

fn parse_json(body: &Bytes) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid(format!("body is not valid JSON: {e}")))
}

/// Resolves custom role keys or IDs to IDs (unknown → 400).
fn resolve_roles(store: &Store, keys: &[String]) -> Result<Vec<String>, ApiError> {
    keys.iter()
        .map(|k| {
            store.resolve_role(k).ok_or_else(|| {
                ApiError::invalid(format!("customRoleIds: unknown custom role {k:?}"))
            })
        })
        .collect()
}

/// Finds a token the caller may see (Admins see every token).
fn target(store: &Store, me: &EmulatedToken, id: &str) -> Result<usize, ApiError> {
    let idx = store.find(id).ok_or_else(ApiError::not_found)?;
    let t = store.tokens.get(idx).ok_or_else(ApiError::not_found)?;
    if super::store::visible(me, t, true) || me.is_admin() {
        Ok(idx)
    } else {
        Err(ApiError::not_found())
    }
}

/// `GET /api/v2/tokens/{id}`
pub async fn get(api: Api, Path(id): Path<String>) -> ApiResult {
    let (_, store, me) = api.caller()?;
    let idx = target(&store, &me, &id)?;
    let t = store.tokens.get(idx).ok_or_else(ApiError::not_found)?;
    Ok(respond::json(StatusCode::OK, &store.render(t, false)))
}

/// `DELETE /api/v2/tokens/{id}`
pub async fn delete(api: Api, Path(id): Path<String>) -> ApiResult {
    let (_, mut store, me) = api.caller()?;
    require_admin(&me)?;
    let idx = target(&store, &me, &id)?;
    store.tokens.remove(idx);
    api.shared.persist(&store);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/v2/roles/{keyOrId}`
pub async fn role(api: Api, Path(key): Path<String>) -> ApiResult {
    let (_, store, _) = api.caller()?;
    let role = store
        .roles
        .iter()
        .find(|r| r.key == key || r.id == key)
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    Ok(respond::json(StatusCode::OK, &role))
}

/// Unknown API paths.
///
/// Not LaunchDarkly's documented error body on purpose (the docs are silent about unknown
/// routes, so the stricter choice): a client must never mistake a wrong base URL for "this
/// token was deleted".
pub async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        StatusCode::NOT_FOUND,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        format!("404 page not found: {} is not an API route", uri.path()),
    )
        .into_response()
}

/// Known path, wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
