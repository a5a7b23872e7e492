//! Read, update and delete against the API, including rotation; create (with the recovery
//! from a create whose response was lost, decision 18) is in `create.rs`.

use super::model::TokenModel;
use super::plan::rotation_due;
use crate::client::{Client, Error};
use crate::framework::{AttributePath, Diagnostic, Outcome, Value};
use crate::models::Token;
use crate::provider::diagnostics::{api_error, readable_ms};
use crate::provider::roles::RoleError;
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

/// The diagnostic for a custom role that could not be resolved while doing `what`.
pub(super) fn role_error(what: &str, e: RoleError) -> Diagnostic {
    match e {
        RoleError::Missing(k) => Diagnostic::error(
            format!("Failed to {what}: custom role {k:?} not found"),
            format!(
                "custom_roles lists {k:?}, but LaunchDarkly has no custom role with that key or ID. \
                 Check the spelling against Account settings → Roles, or create the role first."
            ),
        )
        .at(AttributePath::attr(TokenModel::custom_roles).at_key(&k)),
        RoleError::Api(e) => api_error(&format!("{what}: resolve custom_roles"), &e),
    }
}

async fn role_ids(
    shared: &Shared,
    client: &Client,
    m: &TokenModel,
) -> Result<Option<Vec<String>>, RoleError> {
    match &m.custom_roles {
        Some(keys) if !keys.is_empty() => Ok(Some(shared.roles.ids(client, keys).await?)),
        _ => Ok(None),
    }
}

/// Keys for the token's custom role IDs, preferring the spelling in `prior`. An ID whose
/// role no longer exists stays an ID (with a warning), so the plan shows the difference
/// instead of every refresh failing.
async fn role_keys(
    shared: &Shared,
    client: &Client,
    t: &Token,
    prior: &TokenModel,
    o: &mut Outcome,
) -> Result<Option<Vec<String>>, Error> {
    let ids = t.custom_role_ids.clone().unwrap_or_default();
    if ids.is_empty() {
        return Ok(None);
    }
    let mut keys = Vec::with_capacity(ids.len());
    for id in &ids {
        match shared.roles.find(client, id).await? {
            Some(r) => keys.push(r.key),
            None => {
                o.diagnostics.warning(
                    "Custom role no longer exists",
                    format!(
                        "{} uses custom role {id}, which no longer exists in LaunchDarkly (deleted outside Terraform). \
                         The plan replaces it with the roles in custom_roles.",
                        label(prior)
                    ),
                );
                keys.push(id.clone());
            }
        }
    }
    // A user who wrote IDs instead of keys keeps seeing IDs.
    for k in prior.custom_roles.iter().flatten() {
        if let Some(r) = shared.roles.find(client, k).await? {
            if let Some(pos) = ids.iter().position(|id| *id == r.id) {
                keys[pos] = k.clone();
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
            let what = format!("create {}", label(&want));
            return fail(&mut o, role_error(&what, e));
        }
    };
    super::create::create(shared, &client, &want, ids).await
}

/// Refreshes the token: from the process-wide list snapshot when it shows the token
/// (`token_snapshot` says when the list is read), else with a GET. Both give the same
/// `Token` shape, so drift, secret-reset detection and role mapping below are shared.
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
        Err(_) if shared.is_deferred() => {
            // Planning needs no API call; only this refresh does. Keep the stored state, and
            // say so and how to refresh (issue 12, item 10).
            o.diagnostics.warning(
                "Access token not refreshed: provider configuration known only at apply",
                format!(
                    "{} was not read from LaunchDarkly: this provider's configuration depends on values known only at apply \
                     (e.g. access_token = a token that this plan rotates), so the plan uses the last stored state. \
                     Changes made outside Terraform show up once the configuration is known. To refresh now, apply what the \
                     configuration depends on first (terraform apply -target=<that resource>); to plan knowingly without \
                     refreshing, use -refresh=false.",
                    label(&prior)
                ),
            );
            o.state = state.clone();
            return o;
        }
        Err(d) => return fail(&mut o, d),
    };
    let listed = shared
        .snapshot
        .lookup(
            &client,
            crate::provider::data_sources::page_concurrency(shared),
            &id,
        )
        .await;
    let fetched = match listed {
        Some(t) => Ok(t),
        // Not in the list (or not worth reading it): only a GET can say it is gone.
        None => client.get_token(&id).await,
    };
    let t = match fetched {
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
    let keys = match role_keys(shared, &client, &t, &prior, &mut o).await {
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
    // LaunchDarkly shows the last four characters of the current secret: if the secret in
    // state does not end with them, someone reset it outside Terraform.
    let reset = match (&prior.token, &t.token) {
        (Some(ours), Some(suffix)) => {
            !suffix.expose().is_empty() && !ours.ends_with(suffix.expose())
        }
        _ => false,
    };
    if reset {
        o.diagnostics.warning(
            "Access token secret was reset outside Terraform",
            format!(
                "The secret of {} was reset outside Terraform (in the UI or the API), so the secret in the state — and in any \
                 output that uses token — no longer works, or stops at the end of that reset's grace period. \
                 LaunchDarkly never shows a secret again, so Terraform plans a rotation: apply it to store a working secret.",
                label(&prior)
            ),
        );
    }
    o.private = super::private::with_secret_reset(&o.private, reset);
    o.state = prior.merge_api(&t, keys).to_value();
    o
}

pub async fn update(
    shared: &Shared,
    prior_v: &Value,
    planned_v: &Value,
    config: &Value,
    planned_private: &[u8],
) -> Outcome {
    let mut o = Outcome {
        state: prior_v.clone(),
        private: planned_private.to_vec(),
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
    shared.snapshot.forget(&id);

    let next_ids = match role_ids(shared, &client, &next).await {
        Ok(ids) => ids,
        Err(e) => return fail(&mut o, role_error(&format!("update {what}"), e)),
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
                current = next.merge_api(&t, next.custom_roles.clone().map(|s| s.0));
                current.token = prior.token.clone();
            }
            Err(e) => return fail(&mut o, api_error(&format!("update {what}"), &e)),
        }
    }
    // From here on the state reflects the patch, even if the rotation fails.
    o.state = current.to_value();

    let reset_outside = super::private::secret_reset(planned_private);
    if rotation_due(prior_v, planned_v) == Some(true) || reset_outside {
        let expiry = match rotation_expiry(&prior, &cfg) {
            Ok(e) => e,
            Err(d) => return fail(&mut o, d),
        };
        // Absent (None) when the old secret stops at once: the field is then left out.
        tracing::info!(%id, expiry_ms = expiry, "rotating access token secret");
        match client.reset_token(&id, expiry).await {
            Ok(t) => {
                current.token = t.token.as_ref().map(|s| s.expose().to_string());
                o.state = current.to_value();
                o.private = super::private::with_secret_reset(&o.private, false);
            }
            Err(e) => {
                // Keep the old token in state: if the reset did not happen it
                // still works; the next plan retries the rotation.
                let mut kept = current.clone();
                kept.expire = prior.expire;
                kept.rotation_triggers = prior.rotation_triggers.clone();
                o.state = kept.to_value();
                return fail(&mut o, rotation_failed(&what, &e, expiry));
            }
        }
    }
    o
}

/// A failed reset: what is known about the secret in state, with readable times, and
/// the next step.
fn rotation_failed(what: &str, e: &Error, expiry: Option<i64>) -> Diagnostic {
    let summary = format!("Failed to rotate the secret of {what}");
    let ends = match expiry {
        Some(ms) => format!("at {}", readable_ms(ms)),
        None => "at once".to_string(),
    };
    let detail = match e {
        Error::OutcomeUnknown {
            cause,
            started_at_ms,
            ..
        } => format!(
            "The reset request was sent at {} and its outcome is unknown: {cause}. \
             The state keeps the previous secret. If LaunchDarkly did not reset it, that secret still works; \
             if it did, that secret stops working {ends} and the new one was lost. \
             Next step: run `terraform apply` again. It plans the rotation again (a refresh also notices a reset \
             that did happen), and stores a secret that works.",
            readable_ms(*started_at_ms)
        ),
        other => format!(
            "{other}. The secret was not reset: the previous secret in the state still works. \
             Next step: fix the cause above and run `terraform apply` again; it plans the rotation again."
        ),
    };
    Diagnostic::error(summary, detail)
}

/// When the old secret stops working: `expire` (v2: negative = now) if it
/// changed, else now + `rotation_grace_period` (absent or zero = now).
fn rotation_expiry(prior: &TokenModel, cfg: &TokenModel) -> Result<Option<i64>, Diagnostic> {
    if let Some(e) = cfg.expire.filter(|e| *e != 0) {
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
    shared.snapshot.forget(&id);
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
