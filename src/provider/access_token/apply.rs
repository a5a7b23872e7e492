//! Read, update and delete against the API, including rotation; create (with the recovery
//! from a create whose response was lost, decision 18) is in `create.rs`.

use super::model::TokenModel;
use super::plan::rotation_due;
use crate::client::{Client, Error};
use crate::framework::{Diagnostic, Outcome, Value};
use crate::models::Token;
use crate::provider::diagnostics::api_error;
use crate::provider::{Shared, duration};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub(super) fn label(m: &TokenModel) -> String {
    match (&m.id, &m.name) {
        (Some(id), Some(n)) if !n.is_empty() => format!("access token {n:?} ({id})"),
        (Some(id), _) => format!("access token {id}"),
        (None, Some(n)) => format!("access token {n:?}"),
        (None, None) => "access token".into(),
    }
}

fn fail(o: &mut Outcome, d: Diagnostic) -> Outcome {
    o.diagnostics.push(d);
    std::mem::take(o)
}

async fn role_ids(
    shared: &Shared,
    client: &Client,
    m: &TokenModel,
) -> Result<Option<Vec<String>>, Error> {
    match &m.custom_roles {
        Some(keys) if !keys.is_empty() => Ok(Some(shared.roles.ids(client, keys).await?)),
        _ => Ok(None),
    }
}

/// Keys for the token's custom role IDs, preferring the spelling in `prior`.
async fn role_keys(
    shared: &Shared,
    client: &Client,
    t: &Token,
    prior: &TokenModel,
) -> Result<Option<Vec<String>>, Error> {
    let ids = t.custom_role_ids.clone().unwrap_or_default();
    if ids.is_empty() {
        return Ok(None);
    }
    let mut keys = shared.roles.keys(client, &ids).await?;
    if let Some(prior_keys) = &prior.custom_roles {
        // A user who wrote IDs instead of keys keeps seeing IDs.
        let prior_ids = shared.roles.ids(client, prior_keys).await?;
        for (k, id) in keys.iter_mut().zip(&ids) {
            if let Some(pos) = prior_ids.iter().position(|p| p == id) {
                *k = prior_keys[pos].clone();
            }
        }
    }
    Ok(Some(keys))
}

pub async fn create(shared: &Shared, config: &Value) -> Outcome {
    let mut o = Outcome::default();
    let client = match shared.client() {
        Ok(c) => c,
        Err(d) => return fail(&mut o, d),
    };
    let want = match TokenModel::decode(config) {
        Ok(m) => m,
        Err(d) => return fail(&mut o, d),
    };
    let ids = match role_ids(shared, &client, &want).await {
        Ok(ids) => ids,
        Err(e) => {
            let what = format!("create {}: resolve custom_roles", label(&want));
            return fail(&mut o, api_error(&what, &e));
        }
    };
    super::create::create(shared, &client, &want, ids).await
}

pub async fn read(shared: &Shared, state: &Value, private: Vec<u8>) -> Outcome {
    let mut o = Outcome {
        private,
        ..Outcome::default()
    };
    let prior = match TokenModel::decode(state) {
        Ok(m) => m,
        Err(d) => return fail(&mut o, d),
    };
    let Some(id) = prior.id.clone() else {
        return fail(
            &mut o,
            Diagnostic::error("Invalid state", "The access token state has no id."),
        );
    };
    let client = match shared.client() {
        Ok(c) => c,
        Err(d) => return fail(&mut o, d),
    };
    let t = match client.get_token(&id).await {
        Ok(t) => t,
        Err(e) if e.is_not_found() => {
            o.diagnostics.warning(
                "Access token no longer exists",
                format!("Access token {id} was not found in LaunchDarkly (deleted outside Terraform); it is removed from the state and will be planned for creation."),
            );
            o.state = Value::Null;
            return o;
        }
        Err(e) => {
            o.state = state.clone();
            return fail(&mut o, api_error(&format!("read {}", label(&prior)), &e));
        }
    };
    let keys = match role_keys(shared, &client, &t, &prior).await {
        Ok(k) => k,
        Err(e) => {
            o.state = state.clone();
            return fail(
                &mut o,
                api_error(
                    &format!("read {}: map custom role IDs to keys", label(&prior)),
                    &e,
                ),
            );
        }
    };
    o.state = prior.merge_api(&t, keys).to_value();
    o
}

pub async fn update(
    shared: &Shared,
    prior_v: &Value,
    planned_v: &Value,
    config: &Value,
) -> Outcome {
    let mut o = Outcome {
        state: prior_v.clone(),
        ..Outcome::default()
    };
    let client = match shared.client() {
        Ok(c) => c,
        Err(d) => return fail(&mut o, d),
    };
    let (prior, cfg) = match (TokenModel::decode(prior_v), TokenModel::decode(config)) {
        (Ok(p), Ok(c)) => (p, c),
        (Err(d), _) | (_, Err(d)) => return fail(&mut o, d),
    };
    // The target: configuration, with computed values carried from the prior state.
    let mut next = cfg.clone();
    next.id = prior.id.clone();
    next.token = prior.token.clone();
    if next.description.is_none() {
        next.description = prior.description.clone();
    }
    next.service_token = prior.service_token;
    next.default_api_version = prior.default_api_version;
    let Some(id) = prior.id.clone() else {
        return fail(
            &mut o,
            Diagnostic::error("Invalid state", "The access token state has no id."),
        );
    };
    let what = label(&next);

    let next_ids = match role_ids(shared, &client, &next).await {
        Ok(ids) => ids,
        Err(e) => {
            return fail(
                &mut o,
                api_error(&format!("update {what}: resolve custom_roles"), &e),
            );
        }
    };
    // The patch goes from the token as it is now, not as it was at plan time: a saved plan
    // applied after a change in the UI must still end exactly at the planned values
    // (Terraform rejects any other result). One GET per update buys that.
    let live = match client.get_token(&id).await {
        Ok(t) => t,
        Err(e) if e.is_not_found() => {
            return fail(
                &mut o,
                Diagnostic::error(
                    format!("Failed to update {what}: it no longer exists"),
                    format!(
                        "Access token {id} was deleted outside Terraform after the plan was made. Run `terraform plan` (or apply) again: it will plan creating it."
                    ),
                ),
            );
        }
        Err(e) => {
            return fail(
                &mut o,
                api_error(&format!("update {what}: read it first"), &e),
            );
        }
    };
    let live_ids = live.custom_role_ids.clone().filter(|v| !v.is_empty());
    let live_model = prior.merge_api(&live, None);
    let ops = next.patch_from(&live_model, live_ids, next_ids);
    let mut current = next.clone();
    if !ops.is_empty() {
        tracing::info!(%id, ops = ops.len(), "patching access token");
        match client.patch_token(&id, &ops).await {
            Ok(t) => {
                current = next.merge_api(&t, next.custom_roles.clone());
                current.token = prior.token.clone();
            }
            Err(e) => return fail(&mut o, api_error(&format!("update {what}"), &e)),
        }
    }
    // From here on the state reflects the patch, even if the rotation fails.
    o.state = current.to_value();

    if rotation_due(prior_v, planned_v) == Some(true) {
        let expiry = match rotation_expiry(&prior, &cfg) {
            Ok(e) => e,
            Err(d) => return fail(&mut o, d),
        };
        tracing::info!(%id, expiry_ms = ?expiry, "rotating access token secret");
        match client.reset_token(&id, expiry).await {
            Ok(t) => {
                current.token = t.token.as_ref().map(|s| s.expose().to_string());
                o.state = current.to_value();
            }
            Err(e) => {
                // Keep the old token in state: if the reset did not happen it
                // still works; the next plan retries the rotation.
                let mut kept = current.clone();
                kept.expire = prior.expire;
                kept.rotation_triggers = prior.rotation_triggers.clone();
                o.state = kept.to_value();
                return fail(
                    &mut o,
                    api_error(&format!("rotate the secret of {what}"), &e),
                );
            }
        }
    }
    o
}

/// When the old secret stops working: `expire` (v2: negative = now) if it
/// changed, else now + `rotation_grace_period` (absent or zero = now).
fn rotation_expiry(prior: &TokenModel, cfg: &TokenModel) -> Result<Option<i64>, Diagnostic> {
    if let Some(e) = cfg.expire {
        if cfg.expire != prior.expire {
            return Ok((e > 0).then_some(e));
        }
    }
    let grace = match cfg.rotation_grace_period.as_deref() {
        Some(g) => {
            duration::parse(g).map_err(|e| Diagnostic::error("Invalid rotation_grace_period", e))?
        }
        None => Duration::ZERO,
    };
    Ok((!grace.is_zero()).then(|| now_ms() + grace.as_millis() as i64))
}

pub async fn delete(shared: &Shared, prior_v: &Value) -> Outcome {
    let mut o = Outcome {
        state: prior_v.clone(),
        ..Outcome::default()
    };
    let client = match shared.client() {
        Ok(c) => c,
        Err(d) => return fail(&mut o, d),
    };
    let prior = match TokenModel::decode(prior_v) {
        Ok(m) => m,
        Err(d) => return fail(&mut o, d),
    };
    let Some(id) = prior.id.clone() else {
        o.state = Value::Null;
        return o;
    };
    match client.delete_token(&id).await {
        Ok(()) => {
            tracing::info!(%id, "access token deleted");
            o.state = Value::Null;
        }
        Err(e) if e.is_not_found() => {
            tracing::info!(%id, "access token already gone");
            o.state = Value::Null;
        }
        Err(e) => o
            .diagnostics
            .push(api_error(&format!("delete {}", label(&prior)), &e)),
    }
    o
}
