//! The LaunchDarkly API routes: the six `/api/v2/tokens` operations and
//! `GET /api/v2/roles/{keyOrId}`, with LaunchDarkly's authentication, visibility,
//! pagination, JSON Patch and reset semantics.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::faults::LostResponse;
use super::respond::{self, ApiError};
use super::shared::{Shared, lock};
use super::store::{EmulatedToken, PreviousKey, Store, new_object_id, new_secret};
use super::validate;
use crate::models::{API_VERSION, AccessTokenPost, Link, Links, Statement, Tokens};

type ApiResult = Result<Response, ApiError>;

/// Largest `limit` accepted (LaunchDarkly documents none; the emulator picks one).
pub const MAX_LIMIT: u64 = 1000;

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

fn render_page_links(limit: u64, offset: u64, total: u64, show_all: bool) -> Links {
    let href = |off: u64| {
        let mut s = format!("/api/v2/tokens?limit={limit}&offset={off}");
        if show_all {
            s.push_str("&showAll=true");
        }
        Link::json(s)
    };
    let mut links = Links::new();
    links.insert("self".into(), href(offset));
    links.insert("first".into(), href(0));
    let last = if total == 0 {
        0
    } else {
        (total - 1) / limit * limit
    };
    links.insert("last".into(), href(last));
    if offset > 0 {
        links.insert("prev".into(), href(offset.saturating_sub(limit)));
    }
    if offset.saturating_add(limit) < total {
        links.insert("next".into(), href(offset + limit));
    }
    links
}

/// `GET /api/v2/tokens`
pub async fn list(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let now = s.clock.now_ms();
    let mut store = lock(&s.store);
    let me = authenticate(&mut store, &headers, now)?;
    if let Some(bytes) = lock(&s.faults).take_oversized_list() {
        return Ok(super::respond::oversized_json(bytes));
    }
    let pairs = query_pairs(raw.as_deref());
    let show_all = match pairs
        .iter()
        .find(|(k, _)| k == "showAll")
        .map(|(_, v)| v.as_str())
    {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "showAll: expected true or false, got {other:?}"
            )));
        }
    };
    let limit = int_param(&pairs, "limit")?.unwrap_or(25);
    let offset = int_param(&pairs, "offset")?.unwrap_or(0);
    let limit = u64::try_from(limit)
        .ok()
        .filter(|l| (1..=MAX_LIMIT).contains(l))
        .ok_or_else(|| ApiError::invalid(format!("limit: must be between 1 and {MAX_LIMIT}")))?;
    let offset =
        u64::try_from(offset).map_err(|_| ApiError::invalid("offset: must not be negative"))?;
    let visible: Vec<&EmulatedToken> = store
        .tokens
        .iter()
        .filter(|t| super::store::visible(&me, t, show_all))
        .collect();
    let total = u64::try_from(visible.len()).unwrap_or(u64::MAX);
    // Before API version 20240415 the list was not paginated.
    let version = headers
        .get("LD-API-Version")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(if headers.contains_key("LD-API-Version") {
            API_VERSION
        } else {
            me.default_api_version
        });
    let (items, links) = if version < API_VERSION {
        (
            visible.iter().map(|t| store.render(t, false)).collect(),
            Links::new(),
        )
    } else {
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        (
            visible
                .iter()
                .skip(start)
                .take(take)
                .map(|t| store.render(t, false))
                .collect(),
            render_page_links(limit, offset, total, show_all),
        )
    };
    let page = Tokens {
        items,
        links: Some(links),
        total_count: Some(i64::try_from(total).unwrap_or(i64::MAX)),
    };
    Ok(respond::json(StatusCode::OK, &page))
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

/// `POST /api/v2/tokens`
pub async fn create(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let now = s.clock.now_ms();
    let mut store = lock(&s.store);
    let me = authenticate(&mut store, &headers, now)?;
    require_admin(&me)?;
    let value = parse_json(&body)?;
    validate::access_token_post(&value).map_err(ApiError::invalid)?;
    let post: AccessTokenPost =
        serde_json::from_value(value).map_err(|e| ApiError::invalid(e.to_string()))?;
    let custom_role_ids = resolve_roles(&store, post.custom_role_ids.as_deref().unwrap_or(&[]))?;
    if let Some(status) = lock(&s.faults).take_failed_create() {
        return Err(ApiError::server(status));
    }
    let token = EmulatedToken {
        id: new_object_id(),
        member_id: me.member_id.clone(),
        name: post.name,
        description: post.description,
        role: post.role.map(|r| r.as_str().to_owned()),
        custom_role_ids,
        inline_role: post.inline_role.unwrap_or_default(),
        service_token: post.service_token.unwrap_or(false),
        default_api_version: post.default_api_version.unwrap_or(API_VERSION),
        creation_date: now,
        last_modified: now,
        last_used: None,
        secret: new_secret(),
        previous_keys: Vec::new(),
    };
    let rendered = store.render(&token, true);
    store.tokens.push(token);
    s.persist(&store);
    drop(store);
    match lock(&s.faults).take_lost_create() {
        Some(LostResponse::Drop) => return Ok(respond::dropped()),
        Some(LostResponse::ServerError) => return Err(ApiError::server(500)),
        None => {}
    }
    Ok(respond::json(StatusCode::CREATED, &rendered))
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
pub async fn get(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let now = s.clock.now_ms();
    let mut store = lock(&s.store);
    let me = authenticate(&mut store, &headers, now)?;
    let idx = target(&store, &me, &id)?;
    let t = store.tokens.get(idx).ok_or_else(ApiError::not_found)?;
    Ok(respond::json(StatusCode::OK, &store.render(t, false)))
}

/// `DELETE /api/v2/tokens/{id}`
pub async fn delete(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let now = s.clock.now_ms();
    let mut store = lock(&s.store);
    let me = authenticate(&mut store, &headers, now)?;
    require_admin(&me)?;
    let idx = target(&store, &me, &id)?;
    store.tokens.remove(idx);
    s.persist(&store);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The patchable part of a token as a JSON document (empty lists count as absent).
fn patch_document(t: &EmulatedToken) -> Value {
    let mut doc = Map::new();
    if let Some(n) = &t.name {
        doc.insert("name".into(), Value::from(n.clone()));
    }
    if let Some(d) = &t.description {
        doc.insert("description".into(), Value::from(d.clone()));
    }
    if let Some(r) = &t.role {
        doc.insert("role".into(), Value::from(r.clone()));
    }
    if !t.custom_role_ids.is_empty() {
        doc.insert(
            "customRoleIds".into(),
            Value::from(t.custom_role_ids.clone()),
        );
    }
    if !t.inline_role.is_empty() {
        doc.insert(
            "inlineRole".into(),
            serde_json::to_value(&t.inline_role).unwrap_or(Value::Array(Vec::new())),
        );
    }
    Value::Object(doc)
}

/// `PATCH /api/v2/tokens/{id}`
pub async fn patch(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let now = s.clock.now_ms();
    let mut store = lock(&s.store);
    let me = authenticate(&mut store, &headers, now)?;
    require_admin(&me)?;
    let idx = target(&store, &me, &id)?;
    if lock(&s.faults).take_conflict() {
        return Err(ApiError::conflict());
    }
    let mut value = parse_json(&body)?;
    // Accept the general `{"comment": "...", "patch": [...]}` wrapper too.
    if let Some(obj) = value.as_object_mut() {
        if obj.keys().all(|k| k == "comment" || k == "patch") {
            if let Some(p) = obj.remove("patch") {
                value = p;
            }
        }
    }
    let current = store
        .tokens
        .get(idx)
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    let mut doc = patch_document(&current);
    let ops = validate::patch_ops(&value, &doc).map_err(ApiError::invalid)?;
    let ops: json_patch::Patch =
        serde_json::from_value(ops).map_err(|e| ApiError::invalid(format!("body: {e}")))?;
    json_patch::patch(&mut doc, &ops).map_err(|_| ApiError::patch_failed())?;
    validate::patched_document(&doc).map_err(ApiError::invalid)?;
    let get_str = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_owned);
    let custom: Vec<String> = doc
        .get("customRoleIds")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let custom_role_ids = resolve_roles(&store, &custom)?;
    let inline: Vec<Statement> = match doc.get("inlineRole") {
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|e| ApiError::invalid(format!("inlineRole: {e}")))?,
        None => Vec::new(),
    };
    let t = store.tokens.get_mut(idx).ok_or_else(ApiError::not_found)?;
    t.name = get_str("name");
    t.description = get_str("description");
    t.role = get_str("role");
    t.custom_role_ids = custom_role_ids;
    t.inline_role = inline;
    t.last_modified = now;
    let updated = t.clone();
    s.persist(&store);
    Ok(respond::json(
        StatusCode::OK,
        &store.render(&updated, false),
    ))
}

/// `POST /api/v2/tokens/{id}/reset[?expiry=ms]` (also `{"expiry": ms}` in a JSON body).
pub async fn reset(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> ApiResult {
    let now = s.clock.now_ms();
    let mut store = lock(&s.store);
    let me = authenticate(&mut store, &headers, now)?;
    require_admin(&me)?;
    let idx = target(&store, &me, &id)?;
    let mut expiry = int_param(&query_pairs(raw.as_deref()), "expiry")?;
    if expiry.is_none() && !body.iter().all(u8::is_ascii_whitespace) {
        let v = parse_json(&body)?;
        let obj = v
            .as_object()
            .ok_or_else(|| ApiError::invalid("body: expected an object"))?;
        if let Some(k) = obj.keys().find(|k| *k != "expiry") {
            return Err(ApiError::invalid(format!("{k}: unknown field")));
        }
        expiry = match obj.get("expiry") {
            None => None,
            Some(e) => Some(
                e.as_i64()
                    .ok_or_else(|| ApiError::invalid("expiry: expected an integer"))?,
            ),
        };
    }
    if let Some(status) = lock(&s.faults).take_failed_reset() {
        return Err(ApiError::server(status));
    }
    let t = store.tokens.get_mut(idx).ok_or_else(ApiError::not_found)?;
    t.previous_keys.retain(|p| p.expires_at_ms > now);
    if let Some(expires_at_ms) = expiry.filter(|e| *e > now) {
        t.previous_keys.push(PreviousKey {
            secret: std::mem::take(&mut t.secret),
            expires_at_ms,
        });
    }
    t.secret = new_secret();
    t.last_modified = now;
    let updated = t.clone();
    s.persist(&store);
    Ok(respond::json(StatusCode::OK, &store.render(&updated, true)))
}

/// `GET /api/v2/roles/{keyOrId}`
pub async fn role(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> ApiResult {
    let now = s.clock.now_ms();
    let mut store = lock(&s.store);
    authenticate(&mut store, &headers, now)?;
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
