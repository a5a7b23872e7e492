//! The ephemeral `launchdarkly_access_token` (Terraform 1.10 and later): open creates a token
//! and hands out its secret for one run, close deletes it; nothing of it reaches a plan file
//! or the state. Its arguments and their validation are the managed resource's, shared.
//!
//! A run killed between open and close leaves its token behind. Such tokens are
//! recognisable: their description contains [`EPHEMERAL_MARKER`] followed by a unique ID
//! (after the configured description, if any), so they can be listed with the
//! `launchdarkly_access_tokens` data source and deleted.

use super::Shared;
use super::access_token::model::TokenModel;
use super::access_token::{schema as managed, validate};
use super::diagnostics::api_error;
use super::roles::RoleError;
use crate::client::{Client, Error};
use crate::framework::{
    Attribute, AttributePath, Block, Ctx, Diagnostic, Diagnostics, EphemeralResource, Opened,
    Schema, Value,
};
use async_trait::async_trait;
use std::sync::Arc;

/// Part of the description of every token opened by the ephemeral resource.
pub const EPHEMERAL_MARKER: &str = "terraform-provider-launchdarkly ephemeral token";

/// The managed resource's arguments an ephemeral token takes (besides `inline_roles`).
const ARGUMENTS: [&str; 6] = [
    TokenModel::name,
    TokenModel::description,
    TokenModel::role,
    TokenModel::custom_roles,
    TokenModel::service_token,
    TokenModel::default_api_version,
];

/// The ephemeral token type.
pub struct EphemeralToken {
    shared: Arc<Shared>,
}

impl EphemeralToken {
    pub fn new(shared: Arc<Shared>) -> EphemeralToken {
        EphemeralToken { shared }
    }

    async fn create(&self, client: &Client, config: &Value) -> Result<Opened, Diagnostic> {
        let want = TokenModel::decode(config)?;
        let ids = match &want.custom_roles {
            Some(keys) if !keys.is_empty() => Some(
                self.shared.roles.ids(client, keys).await.map_err(|e| match e {
                    RoleError::Missing(key) => Diagnostic::error(
                        "Unknown custom role",
                        format!("custom_roles: LaunchDarkly has no custom role {key:?}. Check the key (or create the role first)."),
                    )
                    .at(AttributePath::attr(TokenModel::custom_roles)),
                    RoleError::Api(e) => {
                        api_error("open an ephemeral access token: resolve custom_roles", &e)
                    }
                })?,
            ),
            _ => None,
        };
        let marker = format!("{EPHEMERAL_MARKER} {}", uuid::Uuid::new_v4());
        let mut body = want.to_post(ids);
        body.description = Some(match want.description.as_deref() {
            Some(d) if !d.is_empty() => format!("{d} ({marker})"),
            _ => marker.clone(),
        });
        tracing::info!(
            name = want.name.as_deref().unwrap_or_default(),
            "opening ephemeral access token"
        );
        let created = match client.create_token(&body).await {
            Ok(t) => t,
            Err(Error::OutcomeUnknown { cause, .. }) => {
                return Err(self.clean_up_unknown(client, &marker, &cause).await);
            }
            Err(e) => return Err(api_error("open an ephemeral access token", &e)),
        };
        let mut result = config.clone();
        result.set(TokenModel::id, Value::string(&created.id));
        result.set(
            TokenModel::token,
            created
                .token
                .as_ref()
                .map(|s| Value::string(s.expose()))
                .unwrap_or(Value::Null),
        );
        result.set(
            TokenModel::service_token,
            Value::Bool(created.service_token.unwrap_or(false)),
        );
        if let Some(v) = created.default_api_version {
            result.set(TokenModel::default_api_version, Value::int(v));
        }
        tracing::info!(id = %created.id, "ephemeral access token opened");
        Ok(Opened {
            result,
            private: created.id.into_bytes(),
            ..Opened::default()
        })
    }

    /// After a create whose outcome is unknown: delete the token carrying this open's marker,
    /// if it exists, so a failed open leaves nothing behind.
    async fn clean_up_unknown(&self, client: &Client, marker: &str, cause: &str) -> Diagnostic {
        let made = match client.list_all_tokens(false).await {
            Ok(list) => list
                .into_iter()
                .find(|t| t.description.as_deref().is_some_and(|d| d.contains(marker))),
            Err(e) => {
                return api_error(
                    &format!(
                        "open an ephemeral access token ({cause}), then look for the token it may have created"
                    ),
                    &e,
                );
            }
        };
        let detail = match made {
            None => String::from("No token was created."),
            Some(t) => match client.delete_token(&t.id).await {
                Ok(()) => format!("The token it created ({}) was deleted.", t.id),
                Err(e) => format!(
                    "It created token {}, which could not be deleted ({e}); delete it in LaunchDarkly.",
                    t.id
                ),
            },
        };
        Diagnostic::error(
            "Failed to open an ephemeral access token",
            format!(
                "The create request failed with an unknown outcome ({cause}). {detail} Run Terraform again."
            ),
        )
    }
}

#[async_trait]
impl EphemeralResource for EphemeralToken {
    fn name(&self) -> &'static str {
        "access_token"
    }

    /// The ephemeral schema: the managed schema's arguments, `inline_roles`, and computed `id`
    /// and `token` — taken from the managed schema, so descriptions and types never drift.
    fn schema(&self) -> Schema {
        let m = managed::schema();
        let keep =
            |a: &&Attribute| ARGUMENTS.contains(&a.name.as_str()) || a.computed && !a.optional;
        Schema {
            version: 0,
            block: Block {
                description: format!(
                    "An API access token that exists only while a Terraform run needs it (Terraform 1.10 and later).\n\n\
                     Opening it creates a token and returns its secret in `token`; closing it (at the end of the run) deletes the token. \
                     Nothing of it is stored in a plan file or the state, so use it to configure another provider, for example an aliased \
                     `provider \"launchdarkly\"` with `access_token = ephemeral.launchdarkly_access_token.x.token`.\n\n\
                     A run killed before closing leaves the token behind: its description contains `{EPHEMERAL_MARKER}`, so such tokens \
                     can be found with the `launchdarkly_access_tokens` data source and deleted."
                ),
                attributes: m.block.attributes.iter().filter(keep).cloned().collect(),
                blocks: m
                    .block
                    .blocks
                    .into_iter()
                    .filter(|b| !b.block.deprecated)
                    .collect(),
                deprecated: false,
            },
        }
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        validate::validate(config)
    }

    async fn open(&self, _ctx: &Ctx, config: Value) -> Opened {
        // Never abandoned on Stop: a create cut short could leave a token nobody closes.
        let result = match self.shared.client() {
            Ok(client) => self.create(&client, &config).await,
            Err(d) => Err(d),
        };
        result.unwrap_or_else(|d| Opened {
            diagnostics: d.into(),
            ..Opened::default()
        })
    }

    async fn close(&self, _ctx: &Ctx, private: Vec<u8>) -> Diagnostics {
        let mut d = Diagnostics::new();
        let id = String::from_utf8_lossy(&private).into_owned();
        if id.is_empty() {
            return d;
        }
        let client = match self.shared.client() {
            Ok(c) => c,
            Err(e) => {
                d.push(e);
                return d;
            }
        };
        match client.delete_token(&id).await {
            Ok(()) => tracing::info!(%id, "ephemeral access token closed (deleted)"),
            Err(e) if e.is_not_found() => tracing::info!(%id, "ephemeral access token already gone"),
            Err(e) => d.push(Diagnostic::error(
                format!("Failed to delete ephemeral access token {id}"),
                format!(
                    "{e}. The token still exists: delete it in LaunchDarkly (its description contains \"{EPHEMERAL_MARKER}\")."
                ),
            )),
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_takes_the_managed_arguments_and_computed_id_and_token() {
        let s = EphemeralToken::new(Arc::default()).schema();
        let names: Vec<&str> = s.block.attributes.iter().map(|a| a.name.as_str()).collect();
        for n in ARGUMENTS.iter().chain(&["id", "token"]) {
            assert!(names.contains(n), "{n} missing from {names:?}");
        }
        for gone in ["expire", "rotation_triggers", "rotation_grace_period"] {
            assert!(!names.contains(&gone), "{gone}");
        }
        assert!(
            s.block
                .attribute("token")
                .is_some_and(|a| a.sensitive && a.computed)
        );
        let blocks: Vec<&str> = s
            .block
            .blocks
            .iter()
            .map(|b| b.type_name.as_str())
            .collect();
        assert_eq!(blocks, ["inline_roles"]);
        let managed = managed::schema();
        assert_eq!(
            s.block.attribute("role").map(|a| &a.description),
            managed.block.attribute("role").map(|a| &a.description),
            "descriptions come from the managed schema"
        );
    }
}
