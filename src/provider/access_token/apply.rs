//! Create, update (patch, then rotation) and delete against the API, and what they share:
//! failing an outcome and the custom role lookups. The create request itself
//! (with the recovery from a create whose response was lost, decision 18) is in
//! `create.rs`, refresh in `read.rs`, rotation timing and failures in `rotate.rs`.

use super::model::TokenModel;
use super::plan::rotation_due;
use super::rotate::{rotation_expiry, rotation_failed};
use crate::client::Client;
use crate::framework::{AttributePath, Diagnostic, Outcome, Value};
use crate::provider::Shared;
use crate::provider::diagnostics::api_error;
use crate::provider::roles::RoleError;

pub(super) fn fail(o: &mut Outcome, d: Diagnostic) -> Outcome {
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

/// The configured client and the decoded token, or the diagnostic for the first missing.
fn client_and_model(shared: &Shared, v: &Value) -> Result<(Client, TokenModel), Diagnostic> {
    Ok((shared.client()?, TokenModel::decode(v)?))
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

pub async fn create(shared: &Shared, config: &Value) -> Outcome {
    let mut o = Outcome::default();
    let (client, want) = match client_and_model(shared, config) {
        Ok(x) => x,
        Err(d) => return fail(&mut o, d),
    };
    let ids = match role_ids(shared, &client, &want).await {
        Ok(ids) => ids,
        Err(e) => {
            let what = format!("create {}", want.label());
            return fail(&mut o, role_error(&what, e));
        }
    };
    super::create::create(shared, &client, &want, ids).await
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
    let what = next.label();
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

pub async fn delete(shared: &Shared, prior_v: &Value) -> Outcome {
    let mut o = Outcome {
        state: prior_v.clone(),
        ..Outcome::default()
    };
    let (client, prior) = match client_and_model(shared, prior_v) {
        Ok(x) => x,
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
            .push(api_error(&format!("delete {}", prior.label()), &e)),
    }
    o
}
