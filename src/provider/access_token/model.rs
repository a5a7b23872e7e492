//! Typed views of the resource's config/state and their mapping to and from
//! the API models: what to POST, which JSON Patch to send, and how a `Token`
//! from the API becomes Terraform state without perpetual diffs.

use crate::framework::typed::field;
use crate::framework::{AttributePath, Diagnostic, FromValue, Value};
use crate::models::{AccessTokenPost, BaseRole, Effect, PatchOperation, Statement, Token};
use std::collections::BTreeMap;

/// One policy statement as written in HCL.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StatementModel {
    pub effect: String,
    pub resources: Option<Vec<String>>,
    pub not_resources: Option<Vec<String>>,
    pub actions: Option<Vec<String>>,
    pub not_actions: Option<Vec<String>>,
}

impl FromValue for StatementModel {
    fn from_value(v: &Value, p: &AttributePath) -> Result<Self, Diagnostic> {
        Ok(StatementModel {
            effect: field::<Option<String>>(v, p, "effect")?.unwrap_or_default(),
            resources: field(v, p, "resources")?,
            not_resources: field(v, p, "not_resources")?,
            actions: field(v, p, "actions")?,
            not_actions: field(v, p, "not_actions")?,
        })
    }
}

impl StatementModel {
    pub fn to_value(&self) -> Value {
        let list = |l: &Option<Vec<String>>| match l {
            Some(items) if !items.is_empty() => {
                Value::List(items.iter().map(|s| Value::from(s.as_str())).collect())
            }
            _ => Value::Null,
        };
        Value::object([
            ("effect", Value::from(self.effect.as_str())),
            ("resources", list(&self.resources)),
            ("not_resources", list(&self.not_resources)),
            ("actions", list(&self.actions)),
            ("not_actions", list(&self.not_actions)),
        ])
    }

    pub fn to_api(&self) -> Statement {
        let nonempty = |l: &Option<Vec<String>>| l.clone().filter(|v| !v.is_empty());
        Statement {
            resources: nonempty(&self.resources),
            not_resources: nonempty(&self.not_resources),
            actions: nonempty(&self.actions),
            not_actions: nonempty(&self.not_actions),
            effect: if self.effect == "deny" {
                Effect::Deny
            } else {
                Effect::Allow
            },
        }
    }

    pub fn from_api(s: &Statement) -> StatementModel {
        let nonempty = |l: &Option<Vec<String>>| l.clone().filter(|v| !v.is_empty());
        StatementModel {
            effect: match s.effect {
                Effect::Allow => "allow".into(),
                Effect::Deny => "deny".into(),
            },
            resources: nonempty(&s.resources),
            not_resources: nonempty(&s.not_resources),
            actions: nonempty(&s.actions),
            not_actions: nonempty(&s.not_actions),
        }
    }
}

/// The resource's full config or state, wholly known (apply and read time).
/// `Debug` shows only the last four characters of the secret.
#[derive(Clone, Default, PartialEq)]
pub struct TokenModel {
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub role: Option<String>,
    pub custom_roles: Option<Vec<String>>,
    pub inline_roles: Vec<StatementModel>,
    pub policy_statements: Vec<StatementModel>,
    pub service_token: Option<bool>,
    pub default_api_version: Option<i64>,
    pub token: Option<String>,
    pub expire: Option<i64>,
    pub rotation_triggers: Option<BTreeMap<String, String>>,
    pub rotation_grace_period: Option<String>,
}

impl std::fmt::Debug for TokenModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenModel")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("description", &self.description)
            .field("role", &self.role)
            .field("custom_roles", &self.custom_roles)
            .field("inline_roles", &self.inline_roles)
            .field("policy_statements", &self.policy_statements)
            .field("service_token", &self.service_token)
            .field("default_api_version", &self.default_api_version)
            .field("token", &self.token.as_deref().map(crate::secret::redacted))
            .field("expire", &self.expire)
            .field("rotation_triggers", &self.rotation_triggers)
            .field("rotation_grace_period", &self.rotation_grace_period)
            .finish()
    }
}

impl FromValue for TokenModel {
    fn from_value(v: &Value, p: &AttributePath) -> Result<Self, Diagnostic> {
        Ok(TokenModel {
            id: field(v, p, "id")?,
            name: field(v, p, "name")?,
            description: field(v, p, "description")?,
            role: field(v, p, "role")?,
            custom_roles: field(v, p, "custom_roles")?,
            inline_roles: field::<Option<Vec<StatementModel>>>(v, p, "inline_roles")?
                .unwrap_or_default(),
            policy_statements: field::<Option<Vec<StatementModel>>>(v, p, "policy_statements")?
                .unwrap_or_default(),
            service_token: field(v, p, "service_token")?,
            default_api_version: field(v, p, "default_api_version")?,
            token: field(v, p, "token")?,
            expire: field(v, p, "expire")?,
            rotation_triggers: field(v, p, "rotation_triggers")?,
            rotation_grace_period: field(v, p, "rotation_grace_period")?,
        })
    }
}

fn opt_str(s: &Option<String>) -> Value {
    s.as_deref().map(Value::from).unwrap_or(Value::Null)
}

impl TokenModel {
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
        let mut roles = self.custom_roles.clone().unwrap_or_default();
        roles.sort();
        roles.dedup();
        Value::object([
            ("id", opt_str(&self.id)),
            ("name", opt_str(&self.name)),
            ("description", opt_str(&self.description)),
            ("role", opt_str(&self.role)),
            (
                "custom_roles",
                if roles.is_empty() {
                    Value::Null
                } else {
                    Value::Set(roles.iter().map(|r| Value::from(r.as_str())).collect())
                },
            ),
            (
                "inline_roles",
                Value::List(
                    self.inline_roles
                        .iter()
                        .map(StatementModel::to_value)
                        .collect(),
                ),
            ),
            (
                "policy_statements",
                Value::List(
                    self.policy_statements
                        .iter()
                        .map(StatementModel::to_value)
                        .collect(),
                ),
            ),
            (
                "service_token",
                self.service_token.map(Value::Bool).unwrap_or(Value::Null),
            ),
            (
                "default_api_version",
                self.default_api_version
                    .map(Value::int)
                    .unwrap_or(Value::Null),
            ),
            ("token", opt_str(&self.token)),
            ("expire", self.expire.map(Value::int).unwrap_or(Value::Null)),
            (
                "rotation_triggers",
                match &self.rotation_triggers {
                    Some(m) => Value::Map(
                        m.iter()
                            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                            .collect(),
                    ),
                    None => Value::Null,
                },
            ),
            (
                "rotation_grace_period",
                opt_str(&self.rotation_grace_period),
            ),
        ])
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
        m.custom_roles = custom_role_keys.filter(|v| !v.is_empty());
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
        assert!(shown.contains("9f3e"), "{shown}");
    }
}
