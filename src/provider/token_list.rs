//! The list resource `launchdarkly_access_token` (Terraform 1.14 and later): `terraform query`
//! finds existing tokens with the plural data source's filters, each with its identity
//! (`{ id }`), a display name and — when asked — the managed resource's state for it, so
//! `terraform query -generate-config-out=…` writes import blocks and resources. Never a
//! secret: the state's `token` is null, as after an import.

use super::Shared;
use super::access_token::model::TokenModel;
use super::data_sources::{filter, list_tokens};
use super::roles::RoleError;
use crate::client::Client;
use crate::framework::{
    Block, Ctx, Diagnostic, Diagnostics, ListItem, ListRequest, ListResource, Schema, Value,
};
use crate::models::Token;
use async_trait::async_trait;
use std::sync::Arc;

/// The list resource.
pub struct TokenList {
    shared: Arc<Shared>,
}

impl TokenList {
    pub fn new(shared: Arc<Shared>) -> TokenList {
        TokenList { shared }
    }

    /// The managed resource's state for `t`: role IDs shown as keys (the cached lookup).
    async fn object(&self, client: &Client, t: &Token) -> Result<Value, Diagnostic> {
        let ids = t.custom_role_ids.clone().unwrap_or_default();
        let keys = if ids.is_empty() {
            None
        } else {
            match self.shared.roles.keys(client, &ids).await {
                Ok(k) => Some(k),
                // A role deleted since: show the IDs as they are (the plan will say so).
                Err(RoleError::Missing(_)) => Some(ids),
                Err(RoleError::Api(e)) => {
                    return Err(super::diagnostics::api_error(
                        "list access tokens: map custom role IDs to keys",
                        &e,
                    ));
                }
            }
        };
        Ok(TokenModel::default().merge_api(t, keys).to_value())
    }
}

#[async_trait]
impl ListResource for TokenList {
    fn name(&self) -> &'static str {
        "access_token"
    }

    /// The `config` block: the plural data source's filters, shared (same names, types and
    /// descriptions).
    fn schema(&self) -> Schema {
        let block = Block {
            description: "Finds existing API access tokens for `terraform query` (Terraform 1.14 and later), filtered like the \
                `launchdarkly_access_tokens` data source. Each result carries the token's identity (`id`) and, when asked, \
                the resource object, so `terraform query -generate-config-out=FILE` writes import blocks and resources. \
                Secrets are never listed."
                .into(),
            attributes: filter::arguments(),
            ..Block::default()
        };
        Schema { version: 0, block }
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        filter::validate(config)
    }

    async fn list(&self, ctx: &Ctx, req: ListRequest) -> (Vec<ListItem>, Diagnostics) {
        let mut d = Diagnostics::new();
        let found = async {
            let filters =
                filter::Filters::decode(&req.config, chrono::Utc::now().timestamp_millis())?;
            let client = self.shared.client()?;
            let all = list_tokens(ctx, &self.shared, filters.show_all).await?;
            let limit = usize::try_from(req.limit.max(0)).unwrap_or(usize::MAX);
            let mut items = Vec::new();
            for t in all.iter().filter(|t| filters.matches(t)).take(limit) {
                items.push(ListItem {
                    object: self.object(&client, t).await?,
                    display_name: match t.name.as_deref() {
                        Some(n) if !n.is_empty() => format!("{n} ({})", t.id),
                        _ => t.id.clone(),
                    },
                });
            }
            Ok::<_, Diagnostic>(items)
        }
        .await;
        match found {
            Ok(items) => (items, d),
            Err(e) => {
                d.push(e);
                (vec![], d)
            }
        }
    }
}
