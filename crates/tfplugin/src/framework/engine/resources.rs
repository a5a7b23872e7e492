//! Managed resources: validation, read, plan (with the create baseline), apply and import,
//! each filling in the identity the resource declares.

use super::{Engine, validate};
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::provider::{ApplyRequest, Outcome, Plan, PlanRequest};
use crate::framework::schema::Schema;
use crate::framework::value::Value;

/// What an import produced: the state to record (if any) and its private bytes.
#[derive(Clone, Default)]
pub struct Imported {
    /// `None` when the resource produced no object (an error, or nothing to import).
    pub state: Option<Value>,
    /// Private bytes to store with it.
    pub private: Vec<u8>,
    /// Diagnostics.
    pub diagnostics: Diagnostics,
    /// The imported object's identity, if the resource declares one.
    pub identity: Option<Value>,
}

impl Engine {
    /// Fills `identity` from `state` when the resource declares an identity and set none.
    fn with_identity(&self, name: &str, identity: &mut Option<Value>, state: &Value) {
        if identity.is_none() {
            *identity = self.identity_schema(name).and_then(|i| i.of(state));
        }
    }

    /// `out` with its identity filled in (see [`Engine::with_identity`]).
    fn identified(&self, name: &str, mut out: Outcome) -> Outcome {
        self.with_identity(name, &mut out.identity, &out.state);
        out
    }

    /// Validates a resource's configuration.
    pub async fn validate_resource(&self, name: &str, config: &Value) -> Diagnostics {
        validate(self.resource(name), config).await
    }

    /// Refreshes a resource.
    pub async fn read_resource(&self, name: &str, state: Value, private: Vec<u8>) -> Outcome {
        let out = match self.resource(name) {
            Ok(r) => r.imp.read(&self.ctx(), state, private).await,
            Err(d) => d.into(),
        };
        self.identified(name, out)
    }

    /// Plans a change. On create, the proposed value reaching the resource already has the
    /// [`plan_baseline`]: every computed attribute the configuration leaves null is unknown.
    pub async fn plan_resource(&self, name: &str, mut req: PlanRequest) -> Plan {
        let r = match self.resource(name) {
            Ok(r) => r,
            Err(d) => return d.into(),
        };
        let create = req.prior.is_null();
        if create && !req.proposed.is_null() {
            plan_baseline(&r.schema, &mut req.proposed, &req.config);
        }
        let mut plan = r.imp.plan(&self.ctx(), req).await;
        if !create {
            // A create has no identity until apply; an update keeps the object's.
            self.with_identity(name, &mut plan.identity, &plan.planned);
        }
        plan
    }

    /// Applies a planned change (null planned: destroy).
    pub async fn apply_resource(&self, name: &str, req: ApplyRequest) -> Outcome {
        let out = match self.resource(name) {
            Ok(r) => r.imp.apply(&self.ctx(), req).await,
            Err(d) => d.into(),
        };
        self.identified(name, out)
    }

    /// Imports by ID, or by identity (`import { identity = { … } }`, Terraform 1.12+) when the
    /// identity is one required string; a null state from the resource means nothing was
    /// imported.
    pub async fn import_resource(
        &self,
        name: &str,
        id: &str,
        identity: Option<&Value>,
    ) -> Imported {
        let r = match self.resource(name) {
            Ok(r) => r,
            Err(d) => return d.into(),
        };
        let id = match (id.is_empty(), identity, self.identity_schema(name)) {
            (true, Some(identity), Some(schema)) => match schema.import_id(identity) {
                Some(id) => id,
                None => {
                    return Diagnostics::from(Diagnostic::error(
                        "Invalid import identity",
                        format!("The identity given for {name} has no usable value; set every attribute its identity requires."),
                    ))
                    .into();
                }
            },
            _ => id.to_string(),
        };
        let out = self.identified(name, r.imp.import(&self.ctx(), &id).await);
        Imported {
            state: (!out.state.is_null()).then_some(out.state),
            private: out.private,
            diagnostics: out.diagnostics,
            identity: out.identity,
        }
    }
}

/// The generic plan baseline for a create: every top-level computed attribute whose
/// configuration is null becomes unknown (Terraform's proposed value has it null). A
/// resource's `plan` then sets what it can predict.
pub fn plan_baseline(schema: &Schema, proposed: &mut Value, config: &Value) {
    for a in schema.block.attributes.iter().filter(|a| a.computed) {
        let configured = config.get(&a.name).is_some_and(|v| !v.is_null());
        if !configured {
            proposed.set(&a.name, Value::unknown());
        }
    }
}
