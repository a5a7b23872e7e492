//! The engine between the protocol and a provider: one registry of every kind a provider
//! serves, and the policy that is the same for every provider — looking types up, the
//! state-upgrade path, the plan baseline, import and data-source result shapes, and
//! cancellation. The protocol layer only converts tfplugin5 messages to and from the
//! framework values these methods take and return.

use super::config_rules::read_only_errors;
use super::diagnostics::{Diagnostic, Diagnostics};
use super::identity::IdentitySchema;
use super::json::{self, ObjectMode};
use super::path::AttributePath;
use super::provider::{
    ApplyRequest, Ctx, DataSource, EphemeralResource, ListItem, ListRequest, ListResource, Opened,
    Outcome, Plan, PlanRequest, Provider, Renewed, Resource,
};
use super::schema::Schema;
use super::types::Type;
use super::value::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio_util::sync::CancellationToken;

/// One registered kind (a resource or a data source): its implementation and schema,
/// with the value type the schema implies (computed once).
pub struct Kind<T: ?Sized> {
    /// The implementation.
    pub imp: Arc<T>,
    /// Its schema.
    pub schema: Schema,
    /// `schema.implied_type()`.
    pub ty: Type,
}

impl<T: ?Sized> Kind<T> {
    fn new(imp: Arc<T>, schema: Schema) -> Self {
        let ty = schema.implied_type();
        Kind { imp, schema, ty }
    }
}

/// Full type name (`<provider>_<name>`) → kind.
pub type Registry<T> = BTreeMap<String, Kind<T>>;

/// State as Terraform stored it, before any decoding.
#[derive(Clone, Default)]
pub struct RawState {
    /// The JSON form (Terraform 0.12 and later).
    pub json: Vec<u8>,
    /// Whether the legacy flatmap form (Terraform 0.11) was sent instead.
    pub flatmap: bool,
}

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

/// Serves one [`Provider`]: every RPC of the protocol maps to one method here.
pub struct Engine {
    provider: Arc<dyn Provider>,
    provider_kind: Kind<dyn Provider>,
    resources: Registry<dyn Resource>,
    data_sources: Registry<dyn DataSource>,
    ephemeral: Registry<dyn EphemeralResource>,
    identities: BTreeMap<String, IdentitySchema>,
    lists: Registry<dyn ListResource>,
    stop: Mutex<CancellationToken>,
}

impl Engine {
    /// Registers the provider and every kind it serves, under `<type_name>_<name>`.
    pub fn new(provider: Arc<dyn Provider>) -> Engine {
        let prefix = provider.type_name();
        let full = |name: &str| format!("{prefix}_{name}");
        let resources: Registry<dyn Resource> = provider
            .resources()
            .into_iter()
            .map(|r| (full(r.name()), Kind::new(Arc::clone(&r), r.schema())))
            .collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|d| (full(d.name()), Kind::new(Arc::clone(&d), d.schema())))
            .collect();
        let ephemeral = provider
            .ephemeral_resources()
            .into_iter()
            .map(|e| (full(e.name()), Kind::new(Arc::clone(&e), e.schema())))
            .collect();
        let identities = resources
            .iter()
            .filter_map(|(name, r): (&String, &Kind<dyn Resource>)| {
                r.imp.identity_schema().map(|i| (name.clone(), i))
            })
            .collect();
        let lists = provider
            .list_resources()
            .into_iter()
            .map(|l| (full(l.name()), Kind::new(Arc::clone(&l), l.schema())))
            .collect();
        Engine {
            provider_kind: Kind::new(Arc::clone(&provider), provider.schema()),
            provider,
            resources,
            data_sources,
            ephemeral,
            identities,
            lists,
            stop: Mutex::new(CancellationToken::new()),
        }
    }

    /// The provider block's schema and type.
    pub fn provider(&self) -> &Kind<dyn Provider> {
        &self.provider_kind
    }

    /// Every managed resource type.
    pub fn resources(&self) -> &Registry<dyn Resource> {
        &self.resources
    }

    /// Every data source type.
    pub fn data_sources(&self) -> &Registry<dyn DataSource> {
        &self.data_sources
    }

    /// Identity schemas of the resource types that declare one.
    pub fn identity_schemas(&self) -> &BTreeMap<String, IdentitySchema> {
        &self.identities
    }

    /// The identity schema of resource type `name`, if it declares one.
    pub fn identity_schema(&self, name: &str) -> Option<&IdentitySchema> {
        self.identities.get(name)
    }

    /// Fills `identity` from `state` when the resource declares an identity and set none.
    fn with_identity(&self, name: &str, identity: &mut Option<Value>, state: &Value) {
        if identity.is_none() {
            *identity = self.identity_schema(name).and_then(|i| i.of(state));
        }
    }

    /// Every list resource type.
    pub fn list_resources(&self) -> &Registry<dyn ListResource> {
        &self.lists
    }

    /// A list resource type, or the diagnostic for an unknown one.
    pub fn list_resource(&self, name: &str) -> Result<&Kind<dyn ListResource>, Diagnostics> {
        self.lists
            .get(name)
            .ok_or_else(|| unknown_type("list resource", name))
    }

    /// Every ephemeral resource type.
    pub fn ephemeral_resources(&self) -> &Registry<dyn EphemeralResource> {
        &self.ephemeral
    }

    /// An ephemeral resource type, or the diagnostic for an unknown one.
    pub fn ephemeral_resource(
        &self,
        name: &str,
    ) -> Result<&Kind<dyn EphemeralResource>, Diagnostics> {
        self.ephemeral
            .get(name)
            .ok_or_else(|| unknown_type("ephemeral resource", name))
    }

    /// A managed resource type, or the diagnostic for an unknown one.
    pub fn resource(&self, name: &str) -> Result<&Kind<dyn Resource>, Diagnostics> {
        self.resources
            .get(name)
            .ok_or_else(|| unknown_type("resource", name))
    }

    /// A data source type, or the diagnostic for an unknown one.
    pub fn data_source(&self, name: &str) -> Result<&Kind<dyn DataSource>, Diagnostics> {
        self.data_sources
            .get(name)
            .ok_or_else(|| unknown_type("data source", name))
    }

    /// The context for one call: cancelled when Terraform calls `Stop`.
    pub fn ctx(&self) -> Ctx {
        let cancel = self
            .stop
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Ctx { cancel }
    }

    /// `Stop`: cancels the calls in flight; later calls start afresh (a long-lived
    /// debug-mode process keeps serving).
    pub fn stop(&self) {
        let mut t = self.stop.lock().unwrap_or_else(PoisonError::into_inner);
        t.cancel();
        *t = CancellationToken::new();
    }

    /// Validates the provider block.
    pub async fn validate_provider(&self, config: &Value) -> Diagnostics {
        self.provider.validate(config).await
    }

    /// Configures the provider.
    pub async fn configure(&self, terraform_version: &str, config: &Value) -> Diagnostics {
        self.provider
            .configure(&self.ctx(), terraform_version, config)
            .await
    }

    /// Validates a resource's configuration.
    pub async fn validate_resource(&self, name: &str, config: &Value) -> Diagnostics {
        match self.resource(name) {
            Ok(r) => with_read_only(&r.schema, config, r.imp.validate(config).await),
            Err(d) => d,
        }
    }

    /// Validates a data source's configuration.
    pub async fn validate_data_source(&self, name: &str, config: &Value) -> Diagnostics {
        match self.data_source(name) {
            Ok(d) => with_read_only(&d.schema, config, d.imp.validate(config).await),
            Err(d) => d,
        }
    }

    /// Brings stored state to the current schema: legacy flatmap state is refused; the
    /// resource's own upgrade runs first; without one, the JSON is decoded leniently as the
    /// current schema (attributes it no longer has are dropped). `None` on error.
    pub async fn upgrade_resource_state(
        &self,
        name: &str,
        version: i64,
        raw: &RawState,
    ) -> (Option<Value>, Diagnostics) {
        let r = match self.resource(name) {
            Ok(r) => r,
            Err(d) => return (None, d),
        };
        if raw.json.is_empty() {
            if !raw.flatmap {
                return (None, Diagnostics::new());
            }
            return (
                None,
                Diagnostic::error(
                    "Unsupported legacy state",
                    "This state was written by Terraform 0.11 or older (flatmap format). Upgrade it with Terraform 0.12–0.15 and the official provider first.",
                )
                .into(),
            );
        }
        let parsed: serde_json::Value = match serde_json::from_slice(&raw.json) {
            Ok(j) => j,
            Err(e) => {
                let d = Diagnostic::error(
                    "Invalid stored state",
                    format!("The state of this resource is not valid JSON: {e}."),
                );
                return (None, d.into());
            }
        };
        let (value, d) = match r.imp.upgrade(version, &parsed).await {
            Some(done) => done,
            None => {
                match json::from_json(&parsed, &r.ty, ObjectMode::Lenient, &AttributePath::root()) {
                    Ok(v) => (v, Diagnostics::new()),
                    Err(e) => (
                        Value::Null,
                        Diagnostic::error(
                            "Invalid stored state",
                            format!("The stored state does not match the schema: {e}."),
                        )
                        .into(),
                    ),
                }
            }
        };
        if d.has_errors() {
            (None, d)
        } else {
            (Some(value), d)
        }
    }

    /// Refreshes a resource.
    pub async fn read_resource(&self, name: &str, state: Value, private: Vec<u8>) -> Outcome {
        let mut out = match self.resource(name) {
            Ok(r) => r.imp.read(&self.ctx(), state, private).await,
            Err(diagnostics) => Outcome {
                diagnostics,
                ..Outcome::default()
            },
        };
        self.with_identity(name, &mut out.identity, &out.state.clone());
        out
    }

    /// Plans a change. On create, the proposed value reaching the resource already has the
    /// [`plan_baseline`]: every computed attribute the configuration leaves null is unknown.
    pub async fn plan_resource(&self, name: &str, mut req: PlanRequest) -> Plan {
        let r = match self.resource(name) {
            Ok(r) => r,
            Err(diagnostics) => {
                return Plan {
                    diagnostics,
                    ..Plan::default()
                };
            }
        };
        let create = req.prior.is_null();
        if create && !req.proposed.is_null() {
            plan_baseline(&r.schema, &mut req.proposed, &req.config);
        }
        let mut plan = r.imp.plan(&self.ctx(), req).await;
        if !create {
            // A create has no identity until apply; an update keeps the object's.
            self.with_identity(name, &mut plan.identity, &plan.planned.clone());
        }
        plan
    }

    /// Applies a planned change (null planned: destroy).
    pub async fn apply_resource(&self, name: &str, req: ApplyRequest) -> Outcome {
        let mut out = match self.resource(name) {
            Ok(r) => r.imp.apply(&self.ctx(), req).await,
            Err(diagnostics) => Outcome {
                diagnostics,
                ..Outcome::default()
            },
        };
        self.with_identity(name, &mut out.identity, &out.state.clone());
        out
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
            Err(diagnostics) => {
                return Imported {
                    diagnostics,
                    ..Imported::default()
                };
            }
        };
        let id = match (id.is_empty(), identity, self.identity_schema(name)) {
            (true, Some(identity), Some(schema)) => match schema.import_id(identity) {
                Some(id) => id,
                None => {
                    return Imported {
                        diagnostics: Diagnostic::error(
                            "Invalid import identity",
                            format!("The identity given for {name} has no usable value; set every attribute its identity requires."),
                        )
                        .into(),
                        ..Imported::default()
                    };
                }
            },
            _ => id.to_string(),
        };
        let mut out = r.imp.import(&self.ctx(), &id).await;
        self.with_identity(name, &mut out.identity, &out.state.clone());
        Imported {
            state: (!out.state.is_null()).then_some(out.state),
            private: out.private,
            diagnostics: out.diagnostics,
            identity: out.identity,
        }
    }

    /// Reads a data source; an error yields no state at all (never a partial object).
    pub async fn read_data_source(
        &self,
        name: &str,
        config: Value,
    ) -> (Option<Value>, Diagnostics) {
        let ds = match self.data_source(name) {
            Ok(d) => d,
            Err(d) => return (None, d),
        };
        let (state, d) = ds.imp.read(&self.ctx(), config).await;
        if d.has_errors() {
            (None, d)
        } else {
            (Some(state), d)
        }
    }
}

impl Engine {
    /// Validates an ephemeral resource's configuration.
    pub async fn validate_ephemeral(&self, name: &str, config: &Value) -> Diagnostics {
        match self.ephemeral_resource(name) {
            Ok(e) => with_read_only(&e.schema, config, e.imp.validate(config).await),
            Err(d) => d,
        }
    }

    /// Opens an ephemeral resource; an error yields no result at all.
    pub async fn open_ephemeral(&self, name: &str, config: Value) -> Opened {
        let mut opened = match self.ephemeral_resource(name) {
            Ok(e) => e.imp.open(&self.ctx(), config).await,
            Err(diagnostics) => Opened {
                diagnostics,
                ..Opened::default()
            },
        };
        if opened.diagnostics.has_errors() {
            opened.result = Value::Null;
        }
        opened
    }

    /// Renews an ephemeral resource.
    pub async fn renew_ephemeral(&self, name: &str, private: Vec<u8>) -> Renewed {
        match self.ephemeral_resource(name) {
            Ok(e) => e.imp.renew(&self.ctx(), private).await,
            Err(diagnostics) => Renewed {
                diagnostics,
                ..Renewed::default()
            },
        }
    }

    /// Closes an ephemeral resource. Not cancellable by `Stop`: a close cut short would leave
    /// what was opened behind.
    pub async fn close_ephemeral(&self, name: &str, private: Vec<u8>) -> Diagnostics {
        match self.ephemeral_resource(name) {
            Ok(e) => e.imp.close(&Ctx::default(), private).await,
            Err(d) => d,
        }
    }
}

/// One `terraform query` result: the object's identity, its display name, and its state
/// when Terraform asked for it.
#[derive(Clone, Debug)]
pub struct Listed {
    pub identity: Value,
    pub display_name: String,
    pub object: Option<Value>,
}

impl Engine {
    /// Validates a list resource's `config` block.
    pub async fn validate_list(&self, name: &str, config: &Value) -> Diagnostics {
        match self.list_resource(name) {
            Ok(l) => with_read_only(&l.schema, config, l.imp.validate(config).await),
            Err(d) => d,
        }
    }

    /// Lists objects for `terraform query`: at most `limit`, each with the identity the
    /// managed resource of the same name derives from it. A list resource without such a
    /// managed resource (with an identity) is a provider bug, reported as an error.
    pub async fn list(&self, name: &str, req: ListRequest) -> (Vec<Listed>, Diagnostics) {
        let l = match self.list_resource(name) {
            Ok(l) => l,
            Err(d) => return (vec![], d),
        };
        let Some(identity) = self.identity_schema(name) else {
            return (vec![], unknown_type("resource identity", name));
        };
        let limit = usize::try_from(req.limit.max(0)).unwrap_or(usize::MAX);
        let include = req.include_resource_object;
        let (items, mut d): (Vec<ListItem>, Diagnostics) = l.imp.list(&self.ctx(), req).await;
        let mut out = Vec::new();
        for item in items.into_iter().take(limit) {
            match identity.of(&item.object) {
                Some(id) => out.push(Listed {
                    identity: id,
                    display_name: item.display_name,
                    object: include.then_some(item.object),
                }),
                None => d.error(
                    "List result without an identity",
                    format!(
                        "A {name} result ({:?}) has no complete identity; it was skipped.",
                        item.display_name
                    ),
                ),
            }
        }
        (out, d)
    }

    /// Brings a stored identity to the current identity schema (decoded leniently).
    pub fn upgrade_identity(&self, name: &str, raw: &RawState) -> (Option<Value>, Diagnostics) {
        let Some(schema) = self.identity_schema(name) else {
            return (None, unknown_type("resource identity", name));
        };
        let parsed: serde_json::Value = match serde_json::from_slice(&raw.json) {
            Ok(j) => j,
            Err(e) => {
                let d = Diagnostic::error(
                    "Invalid stored identity",
                    format!("The stored identity of this resource is not valid JSON: {e}."),
                );
                return (None, d.into());
            }
        };
        let ty = schema.implied_type();
        match json::from_json(&parsed, &ty, ObjectMode::Lenient, &AttributePath::root()) {
            Ok(v) => (Some(v), Diagnostics::new()),
            Err(e) => (
                None,
                Diagnostic::error(
                    "Invalid stored identity",
                    format!("The stored identity does not match the identity schema: {e}."),
                )
                .into(),
            ),
        }
    }
}

/// Every kind's validation: read-only attributes the configuration sets come first, then the
/// kind's own rules.
fn with_read_only(schema: &Schema, config: &Value, own: Diagnostics) -> Diagnostics {
    let mut d = read_only_errors(&schema.block, config);
    d.extend(own);
    d
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

/// The diagnostic for a type name the provider does not serve.
pub fn unknown_type(kind: &str, name: &str) -> Diagnostics {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} type {name:?}. Check the type name and the provider version."),
    )
    .into()
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
