//! Create, with proof of authorship (decision 18, reliability defects 6 and 8).
//!
//! Every create request carries a unique marker in `description`
//! (`terraform-provider-launchdarkly create <uuid>`); once the token exists, one PATCH sets
//! the configured description. When a create's outcome is unknown (timeout, dropped
//! connection, 5xx after the POST was sent), the provider lists the tokens and adopts only
//! the one carrying *its* marker — proof that this request made it. A same-named token made
//! by another workspace, or by another instance of this configuration, never carries it, so
//! it is never adopted or rotated. Cost: one extra PATCH per create.
//!
//! Once a token exists, it always reaches the state: if a later step fails (the reset that
//! recovers an adopted token's secret, or the PATCH that removes the marker), the token is
//! returned with an error, so Terraform saves it as tainted and the next apply replaces it
//! (DELETE, then create) instead of leaving an orphan behind.

use super::model::TokenModel;
use crate::client::{Client, Error};
use crate::framework::{Diagnostic, Outcome};
use crate::models::{PatchOperation, Token};
use crate::provider::Shared;
use crate::provider::diagnostics::api_error;

/// The prefix of every create marker; tokens whose description starts with it were being
/// created by this provider and were interrupted before their description was set.
pub const MARKER_PREFIX: &str = "terraform-provider-launchdarkly create ";

/// A unique text carried by one create request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateMarker(String);

impl CreateMarker {
    /// A fresh marker (a random UUID v4: 122 random bits).
    pub fn new() -> Self {
        CreateMarker(format!("{MARKER_PREFIX}{}", uuid::Uuid::new_v4()))
    }

    /// The text sent as the token's description.
    pub fn text(&self) -> &str {
        &self.0
    }

    /// Whether `t` was made by the request that carried this marker.
    pub fn made(&self, t: &Token) -> bool {
        t.description.as_deref() == Some(self.0.as_str())
    }
}

impl Default for CreateMarker {
    fn default() -> Self {
        CreateMarker::new()
    }
}

/// Creates the token `want` describes (custom role IDs already resolved in `ids`).
pub async fn create(
    shared: &Shared,
    client: &Client,
    want: &TokenModel,
    ids: Option<Vec<String>>,
) -> Outcome {
    let mut o = Outcome::default();
    let what = format!("create {}", want.label());
    let marker = CreateMarker::new();
    let mut body = want.to_post(ids);
    body.description = Some(marker.text().to_owned());
    tracing::info!(name = want.name.as_deref(), "creating access token");
    let created = match client.create_token(&body).await {
        Ok(t) => t,
        Err(Error::OutcomeUnknown { cause, .. }) => {
            tracing::warn!(%cause, "create outcome unknown; looking for the token carrying this request's marker");
            match find_marked(shared, client, &marker).await {
                Ok(Some(t)) => {
                    shared.remember(&t.id);
                    return adopt(client, want, t, &mut o).await;
                }
                Ok(None) => {
                    o.diagnostics.push(Diagnostic::error(
                        format!("Failed to {what}: the outcome is unknown and no token was created"),
                        format!(
                            "The create request failed ({cause}). No token carries this request's marker, so LaunchDarkly \
                             did not create it and nothing was adopted (a token of the same name made elsewhere is left alone). \
                             Run `terraform apply` again."
                        ),
                    ));
                    return o;
                }
                Err(d) => {
                    o.diagnostics.push(d);
                    return o;
                }
            }
        }
        Err(e) => {
            o.diagnostics.push(api_error(&what, &e));
            return o;
        }
    };
    shared.remember(&created.id);
    let secret = created.token.as_ref().map(|s| s.expose().to_string());
    finish(client, want, &created, secret, &mut o).await;
    o
}

/// Lists the visible tokens and returns the one carrying `marker`, if any. Two would mean a
/// broken server; that is an error naming both, never a guess.
async fn find_marked(
    shared: &Shared,
    client: &Client,
    marker: &CreateMarker,
) -> Result<Option<Token>, Diagnostic> {
    let list = client.list_all_tokens(false).await.map_err(|e| {
        api_error(
            "look for the token a create with an unknown outcome may have made",
            &e,
        )
    })?;
    let mut found: Vec<Token> = list
        .into_iter()
        .filter(|t| marker.made(t) && !shared.is_known(&t.id))
        .collect();
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => Err(Diagnostic::error(
            "Several tokens carry one create marker",
            format!(
                "Tokens {} all carry the marker {:?}, which should be impossible. Nothing was adopted. \
                 Import the right one with `terraform import <address> <id>` and delete the others.",
                found
                    .iter()
                    .map(|t| t.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                marker.text()
            ),
        )),
    }
}

/// Adopts the token a lost create made: its secret was only in the lost response, so reset
/// it, then set the description.
async fn adopt(client: &Client, want: &TokenModel, t: Token, o: &mut Outcome) -> Outcome {
    tracing::warn!(id = %t.id, "adopting the token this create made (its response was lost)");
    match client.reset_token(&t.id, None).await {
        Ok(reset) => {
            let secret = reset.token.as_ref().map(|s| s.expose().to_string());
            finish(client, want, &reset, secret, o).await;
        }
        Err(e) => {
            // Keep the token in state (tainted by Terraform): the next apply deletes and
            // recreates it instead of leaving it behind.
            o.state = want
                .merge_api(&t, want.custom_roles.clone().map(|s| s.0))
                .to_value();
            o.diagnostics.push(Diagnostic::error(
                format!("Failed to reset the secret of adopted access token {}", t.id),
                format!(
                    "The create's response was lost, so this provider found the token it made ({}) and tried to reset its \
                     secret, which failed: {e}. The token is kept in the state as tainted, so it is not orphaned: \
                     the next `terraform apply` deletes it and creates a new one.",
                    t.id
                ),
            ));
        }
    }
    std::mem::take(o)
}

/// Sets the configured description in place of the marker and writes the state.
async fn finish(
    client: &Client,
    want: &TokenModel,
    t: &Token,
    secret: Option<String>,
    o: &mut Outcome,
) {
    let description = want.description.clone().unwrap_or_default();
    let ops = [PatchOperation::replace("/description", description)];
    let (token, problem) = match client.patch_token(&t.id, &ops).await {
        Ok(patched) => (patched, None),
        Err(e) => (t.clone(), Some(e)),
    };
    let mut state = want.merge_api(&token, want.custom_roles.clone().map(|s| s.0));
    state.token = secret;
    o.state = state.to_value();
    match problem {
        None => tracing::info!(id = %token.id, "access token created"),
        Some(e) => o.diagnostics.push(Diagnostic::error(
            format!("Failed to set the description of new access token {}", t.id),
            format!(
                "The token was created, but replacing its create marker with the configured description failed: {e}. \
                 It is kept in the state as tainted, so it is not orphaned: the next `terraform apply` replaces it."
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Links;

    fn token(id: &str, description: Option<&str>) -> Token {
        Token {
            id: id.into(),
            owner_id: "o".into(),
            member_id: "m".into(),
            member: None,
            name: Some("shared-name".into()),
            description: description.map(str::to_string),
            creation_date: 1,
            last_modified: 1,
            custom_role_ids: None,
            inline_role: None,
            role: Some("reader".into()),
            token: None,
            service_token: Some(false),
            links: Links::new(),
            default_api_version: Some(20240415),
            last_used: None,
        }
    }

    #[test]
    fn markers_are_unique_and_only_their_own_token_matches() {
        let a = CreateMarker::new();
        let b = CreateMarker::new();
        assert_ne!(a, b);
        assert!(a.text().starts_with(MARKER_PREFIX));
        assert!(a.made(&token("x", Some(a.text()))));
        assert!(!a.made(&token("y", Some(b.text()))));
        assert!(!a.made(&token("z", None)));
        assert!(!a.made(&token("w", Some(&format!("{} and more", a.text())))));
    }
}
