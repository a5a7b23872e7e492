//! `data "launchdarkly_access_tokens"`: every visible token (all pages),
//! filtered client-side, in a stable order.

use super::filter::{self, Filters};
use super::schema::token_type;
use super::{list_tokens, model};
use crate::framework::{Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Type, Value};
use crate::provider::Shared;
use async_trait::async_trait;
use std::sync::Arc;

pub struct AccessTokens {
    shared: Arc<Shared>,
}

impl AccessTokens {
    pub fn new(shared: Arc<Shared>) -> AccessTokens {
        AccessTokens { shared }
    }
}

#[async_trait]
impl DataSource for AccessTokens {
    fn name(&self) -> &'static str {
        "access_tokens"
    }

    /// `id`, the filters ([`filter::arguments`]), and the results.
    fn schema(&self) -> Schema {
        let mut attributes = vec![Attribute::computed(
            "id",
            Type::String,
            "An identifier derived from the arguments (stable for the same filters).",
        )];
        attributes.extend(filter::arguments());
        attributes.extend([
            Attribute::computed(
                "tokens",
                Type::list(token_type()),
                "The matching tokens, sorted by creation date then ID. Each has the attributes of the `launchdarkly_access_token` data source: \
                 `id`, `name`, `description`, `role`, `custom_role_ids`, `inline_roles`, `service_token`, `default_api_version`, \
                 `owner_id`, `member_id`, `creation_date`, `last_modified`, `last_used` and `token_suffix`.",
            ),
            Attribute::computed(
                "ids",
                Type::list(Type::String),
                "The IDs of the matching tokens, in the same order as `tokens` (handy for `for_each = toset(...)`).",
            ),
        ]);
        Schema {
            version: 0,
            block: Block {
            description: "Lists the API access tokens visible to the provider's credential, optionally filtered.\n\n\
                Every page of `GET /api/v2/tokens` is read; the filters (`name`, `name_regex`, `service_token`, `role`, \
                and the audit filters `unused_for`, `created_before`, `created_after`) are applied to the full list and combine with AND. Results are sorted by creation date, then ID. \
                Secrets are never exposed: `token_suffix` holds the last four characters only.\n\n\
                A personal token sees service tokens and its own member's personal tokens; with the Admin role and \
                `show_all = true` it also sees every other member's personal tokens."
                .into(),
                attributes,
                ..Block::default()
            },
        }
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        filter::validate(config)
    }

    async fn read(&self, ctx: &Ctx, config: Value) -> (Value, Diagnostics) {
        let mut d = Diagnostics::new();
        let filters = match Filters::decode(&config, chrono::Utc::now().timestamp_millis()) {
            Ok(f) => f,
            Err(e) => {
                d.push(e);
                return (Value::Null, d);
            }
        };
        let all = match list_tokens(ctx, &self.shared, filters.show_all).await {
            Ok(t) => t,
            Err(e) => {
                d.push(e);
                return (Value::Null, d);
            }
        };
        let matching: Vec<_> = all.iter().filter(|t| filters.matches(t)).collect();
        tracing::debug!(
            visible = all.len(),
            matching = matching.len(),
            "read access tokens"
        );
        let mut state = config;
        state.set("id", Value::from(filters.id()));
        state.set(
            "tokens",
            Value::List(matching.iter().map(|t| model::token_value(t)).collect()),
        );
        state.set(
            "ids",
            Value::List(
                matching
                    .iter()
                    .map(|t| Value::from(t.id.as_str()))
                    .collect(),
            ),
        );
        (state, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_lists_tokens_of_the_shared_object_type() {
        let s = AccessTokens::new(Arc::default()).schema();
        let tokens = s.block.attribute("tokens").expect("tokens");
        assert_eq!(tokens.ty, Type::list(token_type()));
        assert!(tokens.computed && !tokens.optional);
    }
}
