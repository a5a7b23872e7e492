//! Refresh: the token from the process-wide list snapshot or a GET, drift (role IDs shown
//! as the keys the configuration wrote), and detection of a secret reset outside Terraform.

use super::apply::fail;
use super::model::TokenModel;
use crate::client::{Client, Error};
use crate::framework::{Diagnostic, Outcome, Value};
use crate::models::Token;
use crate::provider::Shared;
use crate::provider::diagnostics::api_error;

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
                        prior.label()
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
                    prior.label()
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
            return fail(&mut o, api_error(&format!("read {}", prior.label()), &e));
        }
    };
    let keys = match role_keys(shared, &client, &t, &prior, &mut o).await {
        Ok(k) => k,
        Err(e) => {
            o.state = state.clone();
            return fail(
                &mut o,
                api_error(
                    &format!("read {}: map custom role IDs to keys", prior.label()),
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
                prior.label()
            ),
        );
    }
    o.private = super::private::with_secret_reset(&o.private, reset);
    o.state = prior.merge_api(&t, keys).to_value();
    o
}
