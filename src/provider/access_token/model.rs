//! The resource's config/state ([`TokenModel`], declared with its schema in `schema.rs`) and
//! its mapping to and from the API models: what to POST, which JSON Patch to send, and how a
//! `Token` from the API becomes Terraform state without perpetual diffs.

pub use super::schema::{StatementModel, TokenModel};
use crate::framework::object::{Set, ToValue};
use crate::framework::{AttributePath, Diagnostic, FromValue, Value};
use crate::models::{AccessTokenPost, BaseRole, Effect, PatchOperation, Statement, Token};

impl StatementModel {
    /// As state: empty lists are null (as the API and v2 states have them).
    pub fn to_value(&self) -> Value {
        ToValue::to_value(&self.normalized())
    }

    fn normalized(&self) -> StatementModel {
        let nonempty = |l: &Option<Vec<String>>| l.clone().filter(|v| !v.is_empty());
        StatementModel {
            effect: self.effect.clone(),
            resources: nonempty(&self.resources),
            not_resources: nonempty(&self.not_resources),
            actions: nonempty(&self.actions),
            not_actions: nonempty(&self.not_actions),
        }
    }

    pub fn to_api(&self) -> Statement {
        let n = self.normalized();
        Statement {
            resources: n.resources,
            not_resources: n.not_resources,
            actions: n.actions,
            not_actions: n.not_actions,
            effect: if self.effect.as_deref() == Some("deny") {
                Effect::Deny
            } else {
                Effect::Allow
            },
        }
    }

    /// As the API has it, empty lists null.
    pub fn from_api(s: &Statement) -> StatementModel {
        StatementModel {
            effect: Some(s.effect.as_str().into()),
            resources: s.resources.clone(),
            not_resources: s.not_resources.clone(),
            actions: s.actions.clone(),
            not_actions: s.not_actions.clone(),
        }
        .normalized()
    }
}

impl TokenModel {
    /// How messages name the token: its name and ID, whichever are known.
    pub fn label(&self) -> String {
        match (&self.id, &self.name) {
            (Some(id), Some(n)) if !n.is_empty() => format!("access token {n:?} ({id})"),
            (Some(id), _) => format!("access token {id}"),
            (None, Some(n)) => format!("access token {n:?}"),
            (None, None) => "access token".into(),
        }
    }

    pub fn decode(v: &Value) -> Result<TokenModel, Diagnostic> {
        TokenModel::from_value(v, &AttributePath::root())
    }

    /// The statements in effect (the deprecated alias wins if used, as in v2).
    pub fn statements(&self) -> &[StatementModel] {
        if self.policy_statements.is_empty() {
            &self.inline_roles
        } else {
            &self.policy_statements
        }
    }

    /// Terraform state for this model. Empty collections are null (or empty
    /// block lists), so v2 states and API defaults never diff against config.
    pub fn to_value(&self) -> Value {
        let roles = self.custom_roles.as_ref().map(|r| {
            let mut r = r.0.clone();
            r.sort();
            r.dedup();
            Set(r)
        });
        let state = TokenModel {
            custom_roles: roles.filter(|r| !r.is_empty()),
            inline_roles: self
                .inline_roles
                .iter()
                .map(StatementModel::normalized)
                .collect(),
            policy_statements: self
                .policy_statements
                .iter()
                .map(StatementModel::normalized)
                .collect(),
            ..self.clone()
        };
        ToValue::to_value(&state)
    }

    /// The create body: only what is configured, exactly one access kind.
    pub fn to_post(&self, custom_role_ids: Option<Vec<String>>) -> AccessTokenPost {
        let statements = self.statements();
        let mut post = AccessTokenPost {
            name: self.name.clone(),
            description: self.description.clone(),
            service_token: self.service_token,
            default_api_version: self.default_api_version,
            ..AccessTokenPost::default()
        };
        if !statements.is_empty() {
            post.inline_role = Some(statements.iter().map(StatementModel::to_api).collect());
        } else if let Some(ids) = custom_role_ids.filter(|v| !v.is_empty()) {
            post.custom_role_ids = Some(ids);
        } else {
            post.role = self.role.as_deref().and_then(BaseRole::parse);
        }
        post
    }

    /// Overlays what the API reports onto this model (the prior state or the
    /// plan). Values the API normalises (empty name, missing role) keep the
    /// form the user wrote; `token` is never taken from a read.
    pub fn merge_api(&self, t: &Token, custom_role_keys: Option<Vec<String>>) -> TokenModel {
        let mut m = self.clone();
        m.id = Some(t.id.clone());
        m.name = match (&t.name, &self.name) {
            (Some(n), _) if !n.is_empty() => Some(n.clone()),
            (_, Some(prev)) if prev.is_empty() => Some(String::new()),
            _ => None,
        };
        m.description = Some(t.description.clone().unwrap_or_default());
        m.role = t.role.clone().filter(|r| !r.is_empty());
        m.custom_roles = custom_role_keys.filter(|v| !v.is_empty()).map(Set);
        let statements: Vec<StatementModel> = t
            .inline_role
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(StatementModel::from_api)
            .collect();
        // Keep the statements under the attribute the configuration uses.
        if self.policy_statements.is_empty() {
            m.inline_roles = statements;
            m.policy_statements = vec![];
        } else {
            m.policy_statements = statements;
            m.inline_roles = vec![];
        }
        m.service_token = Some(t.service_token.unwrap_or(false));
        m.default_api_version = t.default_api_version.or(self.default_api_version);
        m
    }

    /// The JSON Patch from `prior` to `self` (the plan): only changed paths,
    /// `remove` only for fields the prior state has.
    pub fn patch_from(
        &self,
        prior: &TokenModel,
        prior_ids: Option<Vec<String>>,
        new_ids: Option<Vec<String>>,
    ) -> Vec<PatchOperation> {
        let mut ops = vec![];
        if self.name != prior.name {
            ops.push(PatchOperation::replace(
                "/name",
                self.name.clone().unwrap_or_default(),
            ));
        }
        if self.description != prior.description {
            if let Some(d) = &self.description {
                ops.push(PatchOperation::replace("/description", d.clone()));
            }
        }
        let sorted = |v: Option<Vec<String>>| {
            let mut v = v.unwrap_or_default();
            v.sort();
            v
        };
        let (prior_ids, new_ids) = (sorted(prior_ids), sorted(new_ids));
        let (prior_st, new_st) = (prior.statements(), self.statements());
        // Remove what goes away first, then set what is new.
        if self.role.is_none() && prior.role.is_some() {
            ops.push(PatchOperation::remove("/role"));
        }
        if new_ids.is_empty() && !prior_ids.is_empty() {
            ops.push(PatchOperation::remove("/customRoleIds"));
        }
        if new_st.is_empty() && !prior_st.is_empty() {
            ops.push(PatchOperation::remove("/inlineRole"));
        }
        if let Some(r) = &self.role {
            if self.role != prior.role {
                ops.push(PatchOperation::replace("/role", r.clone()));
            }
        }
        if !new_ids.is_empty() && new_ids != prior_ids {
            ops.push(PatchOperation::replace(
                "/customRoleIds",
                serde_json::json!(new_ids),
            ));
        }
        if !new_st.is_empty() && new_st != prior_st {
            let api: Vec<Statement> = new_st.iter().map(StatementModel::to_api).collect();
            ops.push(PatchOperation::replace(
                "/inlineRole",
                serde_json::to_value(api).unwrap_or_default(),
            ));
        }
        ops
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let m = TokenModel {
            token: Some("api-12345678-aaaa-4bbb-8ccc-dddddddd9f3e".into()),
            ..TokenModel::default()
        };
        let shown = format!("{m:?}");
        assert!(!shown.contains("12345678"), "{shown}");
        assert!(shown.contains("<sensitive>"), "{shown}");
    }

    /// Secrets by schema (issue 13): requests, results and values never print a secret — not
    /// the token's `token`, not the provider's `access_token`/`oauth_token` — and the views
    /// redacted by the schema hide exactly the sensitive attributes.
    #[test]
    fn debug_of_requests_and_values_never_shows_secrets() {
        use crate::framework::{ApplyRequest, Outcome, PlanRequest};
        let secret = "api-12345678-aaaa-4bbb-8ccc-dddddddd9f3e";
        let state = TokenModel {
            id: Some("t1".into()),
            role: Some("reader".into()),
            token: Some(secret.into()),
            ..TokenModel::default()
        }
        .to_value();
        let block = super::super::schema::schema().block;
        let plan = PlanRequest {
            prior: state.clone(),
            proposed: state.clone(),
            config: state.clone(),
            prior_private: vec![],
        };
        let apply = ApplyRequest {
            prior: state.clone(),
            planned: state.clone(),
            config: state.clone(),
            planned_private: vec![],
        };
        let outcome = Outcome {
            state: state.clone(),
            ..Outcome::default()
        };
        for shown in [
            format!("{state:?}"),
            format!("{plan:?}"),
            format!("{apply:?}"),
            format!("{outcome:?}"),
        ] {
            assert!(!shown.contains("12345678"), "{shown}");
        }
        for shown in [
            format!("{:?}", state.redacted(&block)),
            format!("{:?}", plan.redacted(&block)),
            format!("{:?}", apply.redacted(&block)),
            format!("{:?}", outcome.redacted(&block)),
        ] {
            assert!(!shown.contains("12345678"), "{shown}");
            assert!(
                shown.contains("\"reader\"") && shown.contains("<sensitive>"),
                "{shown}"
            );
        }
        let provider = crate::provider::config::schema().block;
        let config = Value::object(provider.attributes.iter().map(|a| {
            let v = match a.name.as_str() {
                "access_token" | "oauth_token" => Value::from(secret),
                _ => Value::Null,
            };
            (a.name.clone(), v)
        }));
        for shown in [
            format!("{config:?}"),
            format!("{:?}", config.redacted(&provider)),
        ] {
            assert!(!shown.contains("12345678"), "{shown}");
        }
    }
}
