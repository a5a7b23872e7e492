//! The tfplugin5 `Provider` service. Each handler is the same short shape:
//! look up the type and schema, decode the request values, call the
//! engine, encode the result; policy lives in the engine. Panics inside a handler become an error
//! diagnostic (the plugin keeps serving); `Stop` cancels in-flight work but
//! never stops the server.

use super::convert::diagnostics;
use super::guard::{HasDiagnostics, decode_or_return, encode_into, guarded, lookup_or_return};
use super::proto::tfplugin5 as pb;
use crate::framework::engine::{Engine, RawState};
use crate::framework::provider::{ApplyRequest, PlanRequest, Provider};
use crate::framework::{Diagnostic, Diagnostics, Value};
use pb::provider_server::Provider as Rpc;
use std::sync::Arc;
use tonic::{Request, Response, Status};

/// Serves one [`Provider`] over tfplugin5: converts each request into framework values,
/// calls the [`Engine`], and converts the result back.
pub struct ProviderService {
    engine: Engine,
}

impl ProviderService {
    pub fn new(provider: Arc<dyn Provider>) -> ProviderService {
        ProviderService {
            engine: Engine::new(provider),
        }
    }

    /// Encodes an identity of resource type `name` (`None` when it has none).
    fn identity(
        &self,
        name: &str,
        identity: Option<&Value>,
        d: &mut Diagnostics,
    ) -> Option<pb::ResourceIdentityData> {
        let schema = self.engine.identity_schema(name)?;
        let data = encode_into(d, identity?, &schema.implied_type(), "identity")?;
        Some(pb::ResourceIdentityData {
            identity_data: Some(data),
        })
    }

    /// The full schema response (also used by `GetMetadata`).
    fn schema_response(&self) -> pb::get_provider_schema::Response {
        pb::get_provider_schema::Response {
            provider: Some((&self.engine.provider().schema).into()),
            resource_schemas: self
                .engine
                .resources()
                .iter()
                .map(|(k, r)| (k.clone(), (&r.schema).into()))
                .collect(),
            data_source_schemas: self
                .engine
                .data_sources()
                .iter()
                .map(|(k, d)| (k.clone(), (&d.schema).into()))
                .collect(),
            ephemeral_resource_schemas: self
                .engine
                .ephemeral_resources()
                .iter()
                .map(|(k, e)| (k.clone(), (&e.schema).into()))
                .collect(),
            list_resource_schemas: self
                .engine
                .list_resources()
                .iter()
                .map(|(k, l)| (k.clone(), (&l.schema).into()))
                .collect(),
            server_capabilities: Some(self.capabilities()),
            ..Default::default()
        }
    }

    fn capabilities(&self) -> pb::ServerCapabilities {
        pb::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: true,
            move_resource_state: false,
            generate_resource_config: self.engine.generates_config(),
        }
    }
}

fn unsupported(what: &str) -> Diagnostics {
    Diagnostic::error(
        format!("{what} not supported"),
        format!("This provider does not offer {what}."),
    )
    .into()
}

#[tonic::async_trait]
impl Rpc for ProviderService {
    async fn get_metadata(
        &self,
        _req: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        guarded("GetMetadata", async {
            pb::get_metadata::Response {
                server_capabilities: Some(self.capabilities()),
                resources: self
                    .engine
                    .resources()
                    .keys()
                    .map(|k| pb::get_metadata::ResourceMetadata {
                        type_name: k.clone(),
                    })
                    .collect(),
                data_sources: self
                    .engine
                    .data_sources()
                    .keys()
                    .map(|k| pb::get_metadata::DataSourceMetadata {
                        type_name: k.clone(),
                    })
                    .collect(),
                ephemeral_resources: self
                    .engine
                    .ephemeral_resources()
                    .keys()
                    .map(|k| pb::get_metadata::EphemeralMetadata {
                        type_name: k.clone(),
                    })
                    .collect(),
                list_resources: self
                    .engine
                    .list_resources()
                    .keys()
                    .map(|k| pb::get_metadata::ListResourceMetadata {
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
            let ty = &self.engine.provider().ty;
            let config = decode_or_return!(req.config.as_ref(), ty, "provider configuration");
            let d = self.engine.validate_provider(&config).await;
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
            let r = lookup_or_return!(self.engine.resource(&req.type_name));
            let config = decode_or_return!(req.config.as_ref(), &r.ty, "resource configuration");
            let d = self.engine.validate_resource(&req.type_name, &config).await;
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
            let ds = lookup_or_return!(self.engine.data_source(&req.type_name));
            let config =
                decode_or_return!(req.config.as_ref(), &ds.ty, "data source configuration");
            let d = self
                .engine
                .validate_data_source(&req.type_name, &config)
                .await;
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
            let r = lookup_or_return!(self.engine.resource(&req.type_name));
            let raw = req.raw_state.unwrap_or_default();
            let raw = RawState {
                flatmap: !raw.flatmap.is_empty(),
                json: raw.json,
            };
            let (value, mut d) = self
                .engine
                .upgrade_resource_state(&req.type_name, req.version, &raw)
                .await;
            let upgraded_state =
                value.and_then(|v| encode_into(&mut d, &v, &r.ty, "upgraded state"));
            pb::upgrade_resource_state::Response {
                upgraded_state,
                diagnostics: diagnostics(&d),
            }
        })
        .await
    }

    async fn configure(
        &self,
        req: Request<pb::configure::Request>,
    ) -> Result<Response<pb::configure::Response>, Status> {
        let req = req.into_inner();
        guarded("Configure", async {
            let ty = &self.engine.provider().ty;
            let config = decode_or_return!(req.config.as_ref(), ty, "provider configuration");
            let d = self.engine.configure(&req.terraform_version, &config).await;
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
            let r = lookup_or_return!(self.engine.resource(&req.type_name));
            let state = decode_or_return!(req.current_state.as_ref(), &r.ty, "current state");
            let mut out = self
                .engine
                .read_resource(&req.type_name, state, req.private)
                .await;
            let new_state = encode_into(&mut out.diagnostics, &out.state, &r.ty, "state");
            let new_identity =
                self.identity(&req.type_name, out.identity.as_ref(), &mut out.diagnostics);
            pb::read_resource::Response {
                new_identity,
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
            let r = lookup_or_return!(self.engine.resource(&req.type_name));
            let prior = decode_or_return!(req.prior_state.as_ref(), &r.ty, "prior state");
            let proposed =
                decode_or_return!(req.proposed_new_state.as_ref(), &r.ty, "proposed new state");
            let config = decode_or_return!(req.config.as_ref(), &r.ty, "configuration");
            let mut plan = self
                .engine
                .plan_resource(
                    &req.type_name,
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
            let planned_identity = self.identity(
                &req.type_name,
                plan.identity.as_ref(),
                &mut plan.diagnostics,
            );
            pb::plan_resource_change::Response {
                planned_identity,
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
            let r = lookup_or_return!(self.engine.resource(&req.type_name));
            let prior = decode_or_return!(req.prior_state.as_ref(), &r.ty, "prior state");
            let planned = decode_or_return!(req.planned_state.as_ref(), &r.ty, "planned state");
            let config = decode_or_return!(req.config.as_ref(), &r.ty, "configuration");
            let mut out = self
                .engine
                .apply_resource(
                    &req.type_name,
                    ApplyRequest {
                        prior,
                        planned,
                        config,
                        planned_private: req.planned_private,
                    },
                )
                .await;
            let new_state = encode_into(&mut out.diagnostics, &out.state, &r.ty, "new state");
            let new_identity =
                self.identity(&req.type_name, out.identity.as_ref(), &mut out.diagnostics);
            pb::apply_resource_change::Response {
                new_identity,
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
            let r = lookup_or_return!(self.engine.resource(&req.type_name));
            let identity = match req.identity.as_ref().and_then(|i| i.identity_data.as_ref()) {
                Some(dv) => match self.engine.identity_schema(&req.type_name) {
                    Some(schema) => Some(decode_or_return!(
                        Some(dv),
                        &schema.implied_type(),
                        "import identity"
                    )),
                    None => None,
                },
                None => None,
            };
            let mut out = self
                .engine
                .import_resource(&req.type_name, &req.id, identity.as_ref())
                .await;
            let imported_identity =
                self.identity(&req.type_name, out.identity.as_ref(), &mut out.diagnostics);
            let state = out
                .state
                .as_ref()
                .and_then(|v| encode_into(&mut out.diagnostics, v, &r.ty, "imported state"));
            let imported_resources = state
                .map(|state| pb::import_resource_state::ImportedResource {
                    type_name: req.type_name.clone(),
                    state: Some(state),
                    private: out.private,
                    identity: imported_identity,
                })
                .into_iter()
                .collect();
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

    async fn generate_resource_config(
        &self,
        req: Request<pb::generate_resource_config::Request>,
    ) -> Result<Response<pb::generate_resource_config::Response>, Status> {
        let req = req.into_inner();
        guarded("GenerateResourceConfig", async {
            let r = lookup_or_return!(self.engine.resource(&req.type_name));
            let state = decode_or_return!(req.state.as_ref(), &r.ty, "state");
            let (config, mut d) = self
                .engine
                .generate_resource_config(&req.type_name, state)
                .await;
            let config = config.and_then(|v| encode_into(&mut d, &v, &r.ty, "configuration"));
            pb::generate_resource_config::Response {
                config,
                diagnostics: diagnostics(&d),
            }
        })
        .await
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let req = req.into_inner();
        guarded("ReadDataSource", async {
            let ds = lookup_or_return!(self.engine.data_source(&req.type_name));
            let config =
                decode_or_return!(req.config.as_ref(), &ds.ty, "data source configuration");
            let (state, mut d) = self.engine.read_data_source(&req.type_name, config).await;
            let state = state.and_then(|v| encode_into(&mut d, &v, &ds.ty, "data source state"));
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
        req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let req = req.into_inner();
        guarded("ValidateEphemeralResourceConfig", async {
            let e = lookup_or_return!(self.engine.ephemeral_resource(&req.type_name));
            let config = decode_or_return!(
                req.config.as_ref(),
                &e.ty,
                "ephemeral resource configuration"
            );
            let d = self
                .engine
                .validate_ephemeral(&req.type_name, &config)
                .await;
            pb::validate_ephemeral_resource_config::Response {
                diagnostics: diagnostics(&d),
            }
        })
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let req = req.into_inner();
        guarded("OpenEphemeralResource", async {
            let e = lookup_or_return!(self.engine.ephemeral_resource(&req.type_name));
            let config = decode_or_return!(
                req.config.as_ref(),
                &e.ty,
                "ephemeral resource configuration"
            );
            let mut out = self.engine.open_ephemeral(&req.type_name, config).await;
            let result = if out.result.is_null() {
                None
            } else {
                encode_into(&mut out.diagnostics, &out.result, &e.ty, "ephemeral result")
            };
            pb::open_ephemeral_resource::Response {
                diagnostics: diagnostics(&out.diagnostics),
                renew_at: out.renew_at.map(prost_types::Timestamp::from),
                result,
                private: Some(out.private),
                deferred: None,
            }
        })
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let req = req.into_inner();
        guarded("RenewEphemeralResource", async {
            let out = self
                .engine
                .renew_ephemeral(&req.type_name, req.private.unwrap_or_default())
                .await;
            pb::renew_ephemeral_resource::Response {
                diagnostics: diagnostics(&out.diagnostics),
                renew_at: out.renew_at.map(prost_types::Timestamp::from),
                private: Some(out.private),
            }
        })
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let req = req.into_inner();
        guarded("CloseEphemeralResource", async {
            let d = self
                .engine
                .close_ephemeral(&req.type_name, req.private.unwrap_or_default())
                .await;
            pb::close_ephemeral_resource::Response {
                diagnostics: diagnostics(&d),
            }
        })
        .await
    }

    type ListResourceStream =
        futures::stream::BoxStream<'static, Result<pb::list_resource::Event, Status>>;

    async fn list_resource(
        &self,
        req: Request<pb::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        let events = super::list::list(&self.engine, req.into_inner())
            .await?
            .into_inner()
            .into_events();
        Ok(Response::new(Box::pin(futures::stream::iter(
            events.into_iter().map(Ok),
        ))))
    }

    async fn validate_list_resource_config(
        &self,
        req: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        super::list::validate(&self.engine, req.into_inner()).await
    }

    async fn get_resource_identity_schemas(
        &self,
        _req: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        guarded("GetResourceIdentitySchemas", async {
            pb::get_resource_identity_schemas::Response {
                identity_schemas: self
                    .engine
                    .identity_schemas()
                    .iter()
                    .map(|(k, i)| (k.clone(), i.into()))
                    .collect(),
                diagnostics: vec![],
            }
        })
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        req: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let req = req.into_inner();
        guarded("UpgradeResourceIdentity", async {
            let raw = req.raw_identity.unwrap_or_default();
            let raw = RawState {
                flatmap: !raw.flatmap.is_empty(),
                json: raw.json,
            };
            let (value, mut d) = self.engine.upgrade_identity(&req.type_name, &raw);
            let upgraded_identity =
                value.and_then(|v| self.identity(&req.type_name, Some(&v), &mut d));
            pb::upgrade_resource_identity::Response {
                upgraded_identity,
                diagnostics: diagnostics(&d),
            }
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
        self.engine.stop();
        Ok(Response::new(pb::stop::Response {
            error: String::new(),
        }))
    }
}

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
