//! `data "launchdarkly_access_tokens"`: every visible token (all pages),
//! filtered client-side, in a stable order.

use super::filter::{self, Filters};
use super::{list_tokens, model, schema};
use crate::framework::{Ctx, DataSource, Diagnostics, Schema, Value};
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

    fn schema(&self) -> Schema {
        schema::tokens_schema()
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
