//! `GenerateResourceConfig` (Terraform 1.15): configuration for an existing object, from its
//! state, for `terraform plan -generate-config-out` and `terraform query
//! -generate-config-out`. Terraform asks only when the provider sets the
//! `generate_resource_config` capability, and then for every resource type, so resources
//! that do not write their own get the schema-derived default.

use super::diagnostics::{Diagnostic, Diagnostics};
use super::engine::{Engine, check};
use super::value::Value;

impl Engine {
    /// Whether any resource type writes its own configuration (the server capability).
    pub fn generates_config(&self) -> bool {
        self.resources().values().any(|r| r.imp.generates_config())
    }

    /// The configuration for `state` of resource type `name` (null for a null state: Terraform
    /// asks with no state when `terraform query` did not fetch the objects). The result is
    /// checked like a user's configuration; a generated configuration that would not
    /// validate is a provider bug, reported as one error instead of written out.
    pub async fn generate_resource_config(
        &self,
        name: &str,
        state: Value,
    ) -> (Option<Value>, Diagnostics) {
        let r = match self.resource(name) {
            Ok(_) if state.is_null() => return (Some(Value::Null), Diagnostics::new()),
            Ok(r) => r,
            Err(d) => return (None, d),
        };
        let (config, mut d) = r.imp.generate_config(&self.ctx(), state).await;
        if d.has_errors() {
            return (None, d);
        }
        let validation = check(r, &config).await;
        if validation.has_errors() {
            let problems: Vec<String> = validation
                .iter()
                .filter(|x| x.is_error())
                .map(ToString::to_string)
                .collect();
            d.push(Diagnostic::error(
                "Provider generated an invalid configuration",
                format!(
                    "The configuration generated for this {name} would not validate: {}. This is a bug in the provider; please report it.",
                    problems.join("; ")
                ),
            ));
            return (None, d);
        }
        (Some(config), d)
    }
}
