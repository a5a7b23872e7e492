//! The tfplugin5 `Provider` service. Each handler is the same short shape:
//! look up the type and schema, decode the request values, call the
//! framework, encode the result. Panics inside a handler become an error
//! diagnostic (the plugin keeps serving); `Stop` cancels in-flight work but
//! never stops the server.

use super::convert::{decode_value, diagnostics, encode_value};
use super::proto::tfplugin5 as pb;
use crate::framework::provider::{ApplyRequest, Ctx, DataSource, PlanRequest, Provider, Resource};
use crate::framework::{Diagnostic, Diagnostics, Schema, Type, Value, json};
use futures::FutureExt;
use pb::provider_server::Provider as Rpc;
use std::collections::BTreeMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

struct Typed<T: ?Sized> {
    imp: Arc<T>,
    schema: Schema,
    ty: Type,
}

/// Serves one [`Provider`] over tfplugin5.
pub struct ProviderService {
    provider: Arc<dyn Provider>,
    schema: Schema,
    ty: Type,
    resources: BTreeMap<String, Typed<dyn Resource>>,
    data_sources: BTreeMap<String, Typed<dyn DataSource>>,
    stop: Mutex<CancellationToken>,
}

impl ProviderService {
    pub fn new(provider: Arc<dyn Provider>) -> ProviderService {
        let prefix = provider.type_name();
        let resources = provider
            .resources()
            .into_iter()
            .map(|r| {
                let schema = r.schema();
                let ty = schema.implied_type();
                (
                    format!("{prefix}_{}", r.name()),
                    Typed { imp: r, schema, ty },
                )
            })
            .collect();
        let data_sources = provider
            .data_sources()
            .into_iter()
            .map(|d| {
                let schema = d.schema();
                let ty = schema.implied_type();
                (
                    format!("{prefix}_{}", d.name()),
                    Typed { imp: d, schema, ty },
                )
            })
            .collect();
        let schema = provider.schema();
        let ty = schema.implied_type();
        ProviderService {
            provider,
            schema,
            ty,
            resources,
            data_sources,
            stop: Mutex::new(CancellationToken::new()),
        }
    }

    fn ctx(&self) -> Ctx {
        let cancel = self.stop.lock().map(|t| t.clone()).unwrap_or_default();
        Ctx { cancel }
    }

    fn resource(&self, name: &str) -> Result<&Typed<dyn Resource>, Diagnostics> {
        self.resources
            .get(name)
            .ok_or_else(|| unknown_type("resource", name))
    }

    fn data_source(&self, name: &str) -> Result<&Typed<dyn DataSource>, Diagnostics> {
        self.data_sources
            .get(name)
            .ok_or_else(|| unknown_type("data source", name))
    }

    /// The full schema response (also used by `GetMetadata`).
    fn schema_response(&self) -> pb::get_provider_schema::Response {
        pb::get_provider_schema::Response {
            provider: Some((&self.schema).into()),
            resource_schemas: self
                .resources
                .iter()
                .map(|(k, r)| (k.clone(), (&r.schema).into()))
                .collect(),
            data_source_schemas: self
                .data_sources
                .iter()
                .map(|(k, d)| (k.clone(), (&d.schema).into()))
                .collect(),
            server_capabilities: Some(capabilities()),
            ..Default::default()
        }
    }
}

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: false,
    }
}

fn unknown_type(kind: &str, name: &str) -> Diagnostics {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} type {name:?}. Check the type name and the provider version."),
    )
    .into()
}

fn unsupported(what: &str) -> Diagnostics {
    Diagnostic::error(
        format!("{what} not supported"),
        format!("This provider does not offer {what}."),
    )
    .into()
}

/// Response messages that carry diagnostics, so a panic or a lookup failure
/// can be reported in any of them.
trait HasDiagnostics: Default {
    fn diagnostics_mut(&mut self) -> &mut Vec<pb::Diagnostic>;
    fn from_diagnostics(d: &Diagnostics) -> Self {
        let mut r = Self::default();
        *r.diagnostics_mut() = diagnostics(d);
        r
    }
}

macro_rules! has_diagnostics {
    ($($t:ty),* $(,)?) => {$(
        impl HasDiagnostics for $t {
            fn diagnostics_mut(&mut self) -> &mut Vec<pb::Diagnostic> { &mut self.diagnostics }
        }
    )*};
}

has_diagnostics!(
    pb::get_metadata::Response,
    pb::get_provider_schema::Response,
    pb::prepare_provider_config::Response,
    pb::validate_resource_type_config::Response,
    pb::validate_data_source_config::Response,
    pb::upgrade_resource_state::Response,
    pb::configure::Response,
    pb::read_resource::Response,
    pb::plan_resource_change::Response,
    pb::apply_resource_change::Response,
    pb::import_resource_state::Response,
    pb::move_resource_state::Response,
    pb::read_data_source::Response,
    pb::validate_ephemeral_resource_config::Response,
    pb::open_ephemeral_resource::Response,
    pb::renew_ephemeral_resource::Response,
    pb::close_ephemeral_resource::Response,
    pb::get_functions::Response,
);

/// Runs one RPC body: logs it, and turns a panic into an error diagnostic.
async fn guarded<R, F>(rpc: &'static str, body: F) -> Result<Response<R>, Status>
where
    R: HasDiagnostics,
    F: Future<Output = R>,
{
    tracing::debug!(rpc, "RPC started");
    let out = match crate::logging::recovering_panics(AssertUnwindSafe(body).catch_unwind()).await {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!(rpc, panic = %msg, "RPC panicked");
            R::from_diagnostics(
                &Diagnostic::error(
                    "Provider internal error",
                    format!(
                        "The provider panicked while handling {rpc}: {msg}. Please report this bug."
                    ),
                )
                .into(),
            )
        }
    };
    tracing::debug!(rpc, "RPC finished");
    Ok(Response::new(out))
}

/// Decodes or returns early with the diagnostic in the response type `R`.
macro_rules! decode_or_return {
    ($dv:expr, $ty:expr, $what:expr) => {
        match decode_value($dv, $ty, $what) {
            Ok(v) => v,
            Err(d) => return HasDiagnostics::from_diagnostics(&d.into()),
        }
    };
}

macro_rules! lookup_or_return {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(d) => return HasDiagnostics::from_diagnostics(&d),
        }
    };
}

fn encode_into(d: &mut Diagnostics, v: &Value, ty: &Type, what: &str) -> Option<pb::DynamicValue> {
    match encode_value(v, ty, what) {
        Ok(dv) => Some(dv),
        Err(e) => {
            d.push(e);
            None
        }
    }
}

#[tonic::async_trait]
impl Rpc for ProviderService {
    async fn get_metadata(
        &self,
        _req: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        guarded("GetMetadata", async {
            pb::get_metadata::Response {
                server_capabilities: Some(capabilities()),
                resources: self
                    .resources
                    .keys()
                    .map(|k| pb::get_metadata::ResourceMetadata {
                        type_name: k.clone(),
                    })
                    .collect(),
                data_sources: self
                    .data_sources
                    .keys()
                    .map(|k| pb::get_metadata::DataSourceMetadata {
                        type_name: k.clone(),
                    })
                    .collect(),
                ..Default::default()
            }
        })
        .await
    }

    async fn get_schema(
        &self,
        _req: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        guarded("GetSchema", async { self.schema_response() }).await
    }

    async fn prepare_provider_config(
        &self,
        req: Request<pb::prepare_provider_config::Request>,
    ) -> Result<Response<pb::prepare_provider_config::Response>, Status> {
        let req = req.into_inner();
        guarded("PrepareProviderConfig", async {
            let config = decode_or_return!(req.config.as_ref(), &self.ty, "provider configuration");
            let d = self.provider.validate(&config).await;
            // Terraform ignores prepared_config; leaving it unset is allowed.
            pb::prepare_provider_config::Response {
                prepared_config: None,
                diagnostics: diagnostics(&d),
            }
        })
        .await
    }

    async fn validate_resource_type_config(
        &self,
        req: Request<pb::validate_resource_type_config::Request>,
    ) -> Result<Response<pb::validate_resource_type_config::Response>, Status> {
        let req = req.into_inner();
        guarded("ValidateResourceTypeConfig", async {
            let r = lookup_or_return!(self.resource(&req.type_name));
            let config = decode_or_return!(req.config.as_ref(), &r.ty, "resource configuration");
            let d = r.imp.validate(&config).await;
            pb::validate_resource_type_config::Response {
                diagnostics: diagnostics(&d),
            }
        })
        .await
    }

    async fn validate_data_source_config(
        &self,
        req: Request<pb::validate_data_source_config::Request>,
    ) -> Result<Response<pb::validate_data_source_config::Response>, Status> {
        let req = req.into_inner();
        guarded("ValidateDataSourceConfig", async {
            let ds = lookup_or_return!(self.data_source(&req.type_name));
            let config =
                decode_or_return!(req.config.as_ref(), &ds.ty, "data source configuration");
            let d = ds.imp.validate(&config).await;
            pb::validate_data_source_config::Response {
                diagnostics: diagnostics(&d),
            }
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let req = req.into_inner();
        guarded("UpgradeResourceState", async {
            let r = lookup_or_return!(self.resource(&req.type_name));
            let raw = req.raw_state.unwrap_or_default();
            if raw.json.is_empty() {
                let d = if raw.flatmap.is_empty() {
                    Diagnostics::new()
                } else {
                    Diagnostic::error(
                        "Unsupported legacy state",
                        "This state was written by Terraform 0.11 or older (flatmap format). Upgrade it with Terraform 0.12–0.15 and the official provider first.",
                    )
                    .into()
                };
                return pb::upgrade_resource_state::Response { upgraded_state: None, diagnostics: diagnostics(&d) };
            }
            let parsed: serde_json::Value = match serde_json::from_slice(&raw.json) {
                Ok(j) => j,
                Err(e) => {
                    return HasDiagnostics::from_diagnostics(
                        &Diagnostic::error("Invalid stored state", format!("The state of this resource is not valid JSON: {e}.")).into(),
                    );
                }
            };
            let (value, mut d) = match r.imp.upgrade(req.version, &parsed).await {
                Some(done) => done,
                None => match json::from_json(&parsed, &r.ty, json::ObjectMode::Lenient, &Default::default()) {
                    Ok(v) => (v, Diagnostics::new()),
                    Err(e) => (
                        Value::Null,
                        Diagnostic::error("Invalid stored state", format!("The stored state does not match the schema: {e}.")).into(),
                    ),
                },
            };
            let upgraded_state = if d.has_errors() { None } else { encode_into(&mut d, &value, &r.ty, "upgraded state") };
            pb::upgrade_resource_state::Response { upgraded_state, diagnostics: diagnostics(&d) }
        })
        .await
    }

    async fn configure(
        &self,
        req: Request<pb::configure::Request>,
    ) -> Result<Response<pb::configure::Response>, Status> {
        let req = req.into_inner();
        guarded("Configure", async {
            let config = decode_or_return!(req.config.as_ref(), &self.ty, "provider configuration");
            let d = self
                .provider
                .configure(&self.ctx(), &req.terraform_version, &config)
                .await;
            pb::configure::Response {
                diagnostics: diagnostics(&d),
            }
        })
        .await
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let req = req.into_inner();
        guarded("ReadResource", async {
            let r = lookup_or_return!(self.resource(&req.type_name));
            let state = decode_or_return!(req.current_state.as_ref(), &r.ty, "current state");
            let mut out = r.imp.read(&self.ctx(), state, req.private).await;
            let new_state = encode_into(&mut out.diagnostics, &out.state, &r.ty, "state");
            pb::read_resource::Response {
                new_state,
                private: out.private,
                diagnostics: diagnostics(&out.diagnostics),
                deferred: None,
            }
        })
        .await
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let req = req.into_inner();
        guarded("PlanResourceChange", async {
            let r = lookup_or_return!(self.resource(&req.type_name));
            let prior = decode_or_return!(req.prior_state.as_ref(), &r.ty, "prior state");
            let proposed =
                decode_or_return!(req.proposed_new_state.as_ref(), &r.ty, "proposed new state");
            let config = decode_or_return!(req.config.as_ref(), &r.ty, "configuration");
            let mut plan = r
                .imp
                .plan(
                    &self.ctx(),
                    PlanRequest {
                        prior,
                        proposed,
                        config,
                        prior_private: req.prior_private,
                    },
                )
                .await;
            let planned_state =
                encode_into(&mut plan.diagnostics, &plan.planned, &r.ty, "planned state");
            pb::plan_resource_change::Response {
                planned_state,
                requires_replace: plan.requires_replace.iter().map(Into::into).collect(),
                planned_private: plan.private,
                diagnostics: diagnostics(&plan.diagnostics),
                legacy_type_system: false,
                deferred: None,
            }
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let req = req.into_inner();
        guarded("ApplyResourceChange", async {
            let r = lookup_or_return!(self.resource(&req.type_name));
            let prior = decode_or_return!(req.prior_state.as_ref(), &r.ty, "prior state");
            let planned = decode_or_return!(req.planned_state.as_ref(), &r.ty, "planned state");
            let config = decode_or_return!(req.config.as_ref(), &r.ty, "configuration");
            let mut out = r
                .imp
                .apply(
                    &self.ctx(),
                    ApplyRequest {
                        prior,
                        planned,
                        config,
                        planned_private: req.planned_private,
                    },
                )
                .await;
            let new_state = encode_into(&mut out.diagnostics, &out.state, &r.ty, "new state");
            pb::apply_resource_change::Response {
                new_state,
                private: out.private,
                diagnostics: diagnostics(&out.diagnostics),
                legacy_type_system: false,
            }
        })
        .await
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let req = req.into_inner();
        guarded("ImportResourceState", async {
            let r = lookup_or_return!(self.resource(&req.type_name));
            let mut out = r.imp.import(&self.ctx(), &req.id).await;
            let mut imported_resources = vec![];
            if !out.state.is_null() {
                if let Some(state) =
                    encode_into(&mut out.diagnostics, &out.state, &r.ty, "imported state")
                {
                    imported_resources.push(pb::import_resource_state::ImportedResource {
                        type_name: req.type_name.clone(),
                        state: Some(state),
                        private: out.private,
                    });
                }
            }
            pb::import_resource_state::Response {
                imported_resources,
                diagnostics: diagnostics(&out.diagnostics),
                deferred: None,
            }
        })
        .await
    }

    async fn move_resource_state(
        &self,
        _req: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        guarded("MoveResourceState", async {
            HasDiagnostics::from_diagnostics(&unsupported("moving state across resource types"))
        })
        .await
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let req = req.into_inner();
        guarded("ReadDataSource", async {
            let ds = lookup_or_return!(self.data_source(&req.type_name));
            let config =
                decode_or_return!(req.config.as_ref(), &ds.ty, "data source configuration");
            let (state, mut d) = ds.imp.read(&self.ctx(), config).await;
            let state = if d.has_errors() {
                None
            } else {
                encode_into(&mut d, &state, &ds.ty, "data source state")
            };
            pb::read_data_source::Response {
                state,
                diagnostics: diagnostics(&d),
                deferred: None,
            }
        })
        .await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        _req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        guarded("ValidateEphemeralResourceConfig", async {
            HasDiagnostics::from_diagnostics(&unsupported("ephemeral resources"))
        })
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        _req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        guarded("OpenEphemeralResource", async {
            HasDiagnostics::from_diagnostics(&unsupported("ephemeral resources"))
        })
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        _req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        guarded("RenewEphemeralResource", async {
            HasDiagnostics::from_diagnostics(&unsupported("ephemeral resources"))
        })
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        _req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        guarded("CloseEphemeralResource", async {
            HasDiagnostics::from_diagnostics(&unsupported("ephemeral resources"))
        })
        .await
    }

    async fn get_functions(
        &self,
        _req: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        guarded("GetFunctions", async {
            pb::get_functions::Response::default()
        })
        .await
    }

    async fn call_function(
        &self,
        req: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        let name = req.into_inner().name;
        tracing::debug!(rpc = "CallFunction", function = %name, "RPC started");
        Ok(Response::new(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!("This provider has no function named {name:?}."),
                function_argument: None,
            }),
        }))
    }

    async fn stop(
        &self,
        _req: Request<pb::stop::Request>,
    ) -> Result<Response<pb::stop::Response>, Status> {
        tracing::info!(rpc = "Stop", "cancelling in-flight operations");
        if let Ok(mut t) = self.stop.lock() {
            t.cancel();
            // Later calls (e.g. a long-lived debug-mode process) start afresh.
            *t = CancellationToken::new();
        }
        Ok(Response::new(pb::stop::Response {
            error: String::new(),
        }))
    }
}

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
