//! The writes: `POST /api/v2/tokens` (create, with the lost-response faults), `PATCH
//! /api/v2/tokens/{id}` (JSON Patch on the patchable document) and `POST
//! /api/v2/tokens/{id}/reset` (a new secret, the old one valid until `expiry`).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::{
    Api, ApiResult, int_param, parse_json, query_pairs, require_admin, resolve_roles, target,
};
use crate::faults::LostResponse;
use crate::models::{API_VERSION, AccessTokenPost, Statement};
use crate::respond::{self, ApiError};
use crate::shared::lock;
use crate::store::{EmulatedToken, PreviousKey, new_object_id, new_secret};
use crate::validate;

/// `POST /api/v2/tokens`
pub async fn create(api: Api, body: Bytes) -> ApiResult {
    let (now, mut store, me) = api.caller()?;
    require_admin(&me)?;
    let value = parse_json(&body)?;
    validate::access_token_post(&value).map_err(ApiError::invalid)?;
    let post: AccessTokenPost =
        serde_json::from_value(value).map_err(|e| ApiError::invalid(e.to_string()))?;
    let custom_role_ids = resolve_roles(&store, post.custom_role_ids.as_deref().unwrap_or(&[]))?;
    if let Some(status) = lock(&api.shared.faults).take_failed_create() {
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
    api.shared.persist(&store);
    drop(store);
    match lock(&api.shared.faults).take_lost_create() {
        Some(LostResponse::Drop) => return Ok(respond::dropped()),
        Some(LostResponse::ServerError) => return Err(ApiError::server(500)),
        None => {}
    }
    Ok(respond::json(StatusCode::CREATED, &rendered))
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
pub async fn patch(api: Api, Path(id): Path<String>, body: Bytes) -> ApiResult {
    let (now, mut store, me) = api.caller()?;
    require_admin(&me)?;
    let idx = target(&store, &me, &id)?;
    if lock(&api.shared.faults).take_conflict() {
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
    api.shared.persist(&store);
    Ok(respond::json(
        StatusCode::OK,
        &store.render(&updated, false),
    ))
}

/// `POST /api/v2/tokens/{id}/reset[?expiry=ms]` (also `{"expiry": ms}` in a JSON body).
pub async fn reset(
    api: Api,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> ApiResult {
    let (now, mut store, me) = api.caller()?;
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
    if let Some(status) = lock(&api.shared.faults).take_failed_reset() {
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
    api.shared.persist(&store);
    Ok(respond::json(StatusCode::OK, &store.render(&updated, true)))
}
