//! Configuration generated from a token's state (Terraform 1.15's `GenerateResourceConfig`,
//! behind `terraform plan -generate-config-out` and `terraform query -generate-config-out`):
//! only what a configuration may set, so that it validates and, imported, plans no change.
//!
//! - `id` and `token` (read-only) are left out; so is the deprecated `policy_statements`
//!   (its statements are written as `inline_roles`).
//! - Exactly one of `role`, `custom_roles` or `inline_roles`: the most specific the token
//!   has (statements, then custom roles, then the built-in role).
//! - Custom roles by key: an ID (a role whose key could not be read back) becomes its key
//!   when the role cache or one lookup finds it.
//! - Optional + computed attributes are written only when they say something: a non-empty
//!   `description`, `service_token = true`, a `default_api_version` other than the current
//!   one. Left out, the plan keeps the token's value.

use super::model::{StatementModel, TokenModel};
use super::schema::CURRENT_API_VERSION;
use crate::framework::object::Set;
use crate::framework::{Diagnostics, Value};
use crate::provider::Shared;

/// The configuration for `state` (a known token object).
pub async fn generate(shared: &Shared, state: &Value) -> (Value, Diagnostics) {
    let mut d = Diagnostics::new();
    let model = match TokenModel::decode(state) {
        Ok(m) => m,
        Err(e) => {
            d.push(e);
            return (Value::Null, d);
        }
    };
    let mut roles = model.custom_roles.clone().map(|s| s.0).unwrap_or_default();
    if let Ok(client) = shared.client() {
        for r in &mut roles {
            if let Ok(Some(role)) = shared.roles.find(&client, r).await {
                *r = role.key;
            }
        }
    }
    (config_for(&model, roles), d)
}

/// The configuration for `model`, with its custom roles as `roles` (keys).
pub fn config_for(model: &TokenModel, mut roles: Vec<String>) -> Value {
    roles.sort();
    roles.dedup();
    let statements: Vec<StatementModel> = model.statements().to_vec();
    let mut c = TokenModel {
        name: model.name.clone().filter(|n| !n.is_empty()),
        description: model.description.clone().filter(|s| !s.is_empty()),
        service_token: model.service_token.filter(|s| *s),
        default_api_version: model
            .default_api_version
            .filter(|v| *v != CURRENT_API_VERSION),
        expire: model.expire,
        rotation_triggers: model.rotation_triggers.clone(),
        rotation_grace_period: model.rotation_grace_period.clone(),
        ..TokenModel::default()
    };
    if !statements.is_empty() {
        c.inline_roles = statements;
    } else if !roles.is_empty() {
        c.custom_roles = Some(Set(roles));
    } else {
        c.role = model.role.clone();
    }
    c.to_value()
}

#[cfg(test)]
mod tests {
    use super::super::schema::schema;
    use super::super::validate::validate;
    use super::*;
    use crate::framework::config_rules::read_only_errors;

    fn statement() -> StatementModel {
        StatementModel {
            effect: Some("allow".into()),
            resources: Some(vec!["proj/*".into()]),
            actions: Some(vec!["*".into()]),
            ..StatementModel::default()
        }
    }

    fn token() -> TokenModel {
        TokenModel {
            id: Some("0123456789abcdef01234567".into()),
            name: Some("ci".into()),
            description: Some(String::new()),
            role: Some("reader".into()),
            service_token: Some(false),
            default_api_version: Some(CURRENT_API_VERSION),
            token: Some("api-secret".into()),
            ..TokenModel::default()
        }
    }

    /// Validates like a user's configuration: no read-only attribute, no error.
    fn assert_valid(c: &Value) {
        assert!(read_only_errors(&schema().block, c).is_empty(), "{c:?}");
        let d = validate(c);
        assert!(!d.has_errors(), "{d:?}");
    }

    #[test]
    fn only_configurable_attributes_and_one_kind_of_permission() {
        let c = config_for(&token(), vec![]);
        assert_valid(&c);
        assert_eq!(c.get("role"), Some(&Value::from("reader")));
        for absent in [
            "id",
            "token",
            "description",
            "service_token",
            "default_api_version",
            "custom_roles",
            "expire",
        ] {
            assert_eq!(c.get(absent), Some(&Value::Null), "{absent}");
        }
        assert_eq!(c.get("inline_roles"), Some(&Value::List(vec![])));
        assert_eq!(c.get("policy_statements"), Some(&Value::List(vec![])));
    }

    #[test]
    fn custom_roles_win_over_the_role_the_api_also_reports() {
        let c = config_for(&token(), vec!["deployer".into(), "auditor".into()]);
        assert_valid(&c);
        assert_eq!(c.get("role"), Some(&Value::Null));
        assert_eq!(
            c.get("custom_roles"),
            Some(&Value::Set(vec!["auditor".into(), "deployer".into()]))
        );
    }

    #[test]
    fn statements_are_written_as_inline_roles_even_from_policy_statements() {
        let mut t = token();
        t.policy_statements = vec![statement()];
        t.service_token = Some(true);
        t.default_api_version = Some(20191212);
        t.description = Some("made by hand".into());
        let c = config_for(&t, vec!["deployer".into()]);
        assert_valid(&c);
        assert_eq!(c.get("role"), Some(&Value::Null));
        assert_eq!(c.get("custom_roles"), Some(&Value::Null));
        assert_eq!(c.get("policy_statements"), Some(&Value::List(vec![])));
        assert_eq!(
            c.get("inline_roles"),
            Some(&Value::List(vec![statement().to_value()]))
        );
        assert_eq!(c.get("service_token"), Some(&Value::Bool(true)));
        assert_eq!(c.get("default_api_version"), Some(&Value::int(20191212)));
        assert_eq!(c.get("description"), Some(&Value::from("made by hand")));
    }
}
