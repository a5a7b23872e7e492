//! The `launchdarkly_access_token` resource: schema, validation, planning,
//! and the API calls behind apply/read/import, one file each.

mod apply;
mod create;
mod custom_roles;
mod generate;
pub mod model;
pub mod plan;
mod private;
mod read;
mod rotate;
pub mod schema;
pub mod validate;
mod validate_rotation;
mod validate_statement;

use crate::framework::json::{self, ObjectMode};
use crate::framework::{
    ApplyRequest, AttributePath, Ctx, Diagnostics, Outcome, Plan, PlanRequest, Resource, Schema,
    Value,
};
use crate::framework::{IdentityAttribute, IdentitySchema, Type};
use crate::provider::Shared;
use async_trait::async_trait;
use model::TokenModel;
use std::sync::Arc;

pub struct AccessToken {
    shared: Arc<Shared>,
}

impl AccessToken {
    pub fn new(shared: Arc<Shared>) -> AccessToken {
        AccessToken { shared }
    }
}

/// `o` with the diagnostic saying Terraform cancelled the operation.
fn cancelled(mut o: Outcome) -> Outcome {
    o.diagnostics
        .push(crate::framework::provider::cancelled_diagnostic());
    o
}

#[async_trait]
impl Resource for AccessToken {
    fn name(&self) -> &'static str {
        "access_token"
    }

    fn schema(&self) -> Schema {
        schema::schema()
    }

    /// `{ id }`: what `import { identity = { id = "…" } }` takes (Terraform 1.12+).
    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema {
            version: 0,
            attributes: vec![IdentityAttribute::required(
                TokenModel::id,
                Type::String,
                "The token ID.",
            )],
        })
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        let d = validate::validate(config);
        if !self.shared.warnings_shown_elsewhere() {
            return d;
        }
        let mut errors = Diagnostics::new();
        for x in d.into_vec().into_iter().filter(|x| x.is_error()) {
            errors.push(x);
        }
        errors
    }

    /// Version 0 is the official provider v2 (same attributes minus ours;
    /// `""` for unset names and `[]` for unset collections); version 1 is ours.
    async fn upgrade(&self, version: i64, raw: &serde_json::Value) -> Option<(Value, Diagnostics)> {
        let ty = schema::schema().implied_type();
        let mut d = Diagnostics::new();
        if version > schema::SCHEMA_VERSION {
            d.error(
                "State written by a newer provider",
                format!("This state has schema version {version}; this provider understands up to {}. Upgrade the provider.", schema::SCHEMA_VERSION),
            );
            return Some((Value::Null, d));
        }
        let v = match json::from_json(raw, &ty, ObjectMode::Lenient, &AttributePath::root()) {
            Ok(v) => v,
            Err(e) => {
                d.error(
                    "Invalid stored state",
                    format!("The stored access token state does not match the schema: {e}."),
                );
                return Some((Value::Null, d));
            }
        };
        let mut m = match TokenModel::decode(&v) {
            Ok(m) => m,
            Err(e) => {
                d.push(e);
                return Some((Value::Null, d));
            }
        };
        if version == 0 && m.name.as_deref() == Some("") {
            m.name = None;
        }
        if version == 0 && m.default_api_version == Some(0) {
            m.default_api_version = None;
        }
        // v2 stores 0 for an unset `expire` (and treats 0 as "no rotation"): it is our null,
        // so a configuration that omits `expire` plans no change.
        if version == 0 && m.expire == Some(0) {
            m.expire = None;
        }
        Some((m.to_value(), d))
    }

    async fn read(&self, ctx: &Ctx, state: Value, private: Vec<u8>) -> Outcome {
        let fallback = Outcome {
            state: state.clone(),
            private: private.clone(),
            ..Outcome::default()
        };
        match ctx
            .or_cancelled(read::read(&self.shared, &state, private))
            .await
        {
            Some(o) => o,
            None => cancelled(fallback),
        }
    }

    async fn plan(&self, ctx: &Ctx, req: PlanRequest) -> Plan {
        let mut p = plan::plan(&req);
        if !req.config.is_null() {
            // Validation runs again here: Terraform skips validate for `plan -refresh-only` etc.
            for d in validate::validate(&req.config) {
                if d.is_error() {
                    p.diagnostics.push(d);
                }
            }
            if !p.diagnostics.has_errors() {
                match ctx
                    .or_cancelled(custom_roles::check(&self.shared, &req.config))
                    .await
                {
                    Some(d) => p.diagnostics.extend(d),
                    None => p
                        .diagnostics
                        .push(crate::framework::provider::cancelled_diagnostic()),
                }
            }
        }
        p
    }

    async fn apply(&self, ctx: &Ctx, req: ApplyRequest) -> Outcome {
        let prior = Outcome {
            state: req.prior.clone(),
            ..Outcome::default()
        };
        let mut o = if req.planned.is_null() {
            // An abandoned delete leaves the token in state; the next apply deletes it.
            match ctx
                .or_cancelled(apply::delete(&self.shared, &req.prior))
                .await
            {
                Some(o) => o,
                None => cancelled(prior),
            }
        } else if req.prior.is_null() {
            // Never abandoned: a create cut short could leave an untracked token.
            apply::create(&self.shared, &req.config).await
        } else {
            // An abandoned update keeps the prior state; the next refresh shows the truth.
            match ctx
                .or_cancelled(apply::update(
                    &self.shared,
                    &req.prior,
                    &req.planned,
                    &req.config,
                    &req.planned_private,
                ))
                .await
            {
                Some(o) => return o,
                None => cancelled(prior),
            }
        };
        o.private = req.planned_private;
        o
    }

    fn generates_config(&self) -> bool {
        true
    }

    async fn generate_config(&self, _ctx: &Ctx, state: Value) -> (Value, Diagnostics) {
        generate::generate(&self.shared, &state).await
    }

    async fn import(&self, _ctx: &Ctx, id: &str) -> Outcome {
        let id = id.trim();
        let mut o = Outcome::default();
        if id.is_empty() {
            o.diagnostics.error("Invalid import ID", "Use the access token ID: terraform import launchdarkly_access_token.example <token-id>.");
            return o;
        }
        let m = TokenModel {
            id: Some(id.to_string()),
            ..TokenModel::default()
        };
        o.state = m.to_value();
        o
    }
}
