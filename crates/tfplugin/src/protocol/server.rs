//! The tfplugin5 `Provider` service: the service struct and the trait impl, a table that
//! hands each RPC to its family's module (provider-level, resources, identity, data
//! sources, ephemeral and list resources). Each handler is the same short shape:
//! look up the type and schema, decode the request values, call the
//! engine, encode the result; policy lives in the engine. Panics inside a handler become an error
//! diagnostic (the plugin keeps serving); `Stop` cancels in-flight work but
//! never stops the server.

mod data_sources;
mod ephemeral;
mod identity;
mod provider;
mod resources;

use super::guard::guarded;
use super::list;
use super::proto::tfplugin5 as pb;
use crate::framework::engine::Engine;
use crate::framework::provider::Provider;
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
}

/// The trait impl. Each listed RPC goes to its handler, `handler(&engine, request)`, run
/// under [`guarded`] with its tfplugin5 name for the logs; `ListResource` streams what its
/// handler collected, and `CallFunction` and `Stop` answer directly.
macro_rules! rpcs {
    ($($method:ident($msg:ident) => $rpc:literal, $handler:path;)*) => {
        #[tonic::async_trait]
        impl Rpc for ProviderService {
            $(async fn $method(
                &self,
                req: Request<pb::$msg::Request>,
            ) -> Result<Response<pb::$msg::Response>, Status> {
                guarded($rpc, $handler(&self.engine, req.into_inner())).await
            })*

            type ListResourceStream =
                futures::stream::BoxStream<'static, Result<pb::list_resource::Event, Status>>;

            async fn list_resource(
                &self,
                req: Request<pb::list_resource::Request>,
            ) -> Result<Response<Self::ListResourceStream>, Status> {
                let list = list::list(&self.engine, req.into_inner());
                let events = guarded("ListResource", list).await?.into_inner().into_events();
                Ok(Response::new(Box::pin(futures::stream::iter(
                    events.into_iter().map(Ok),
                ))))
            }

            async fn call_function(
                &self,
                req: Request<pb::call_function::Request>,
            ) -> Result<Response<pb::call_function::Response>, Status> {
                provider::call_function(req.into_inner().name)
            }

            async fn stop(
                &self,
                _req: Request<pb::stop::Request>,
            ) -> Result<Response<pb::stop::Response>, Status> {
                provider::stop(&self.engine)
            }
        }
    };
}

rpcs! {
    get_metadata(get_metadata) => "GetMetadata", provider::get_metadata;
    get_schema(get_provider_schema) => "GetSchema", provider::get_schema;
    prepare_provider_config(prepare_provider_config) => "PrepareProviderConfig", provider::prepare_config;
    configure(configure) => "Configure", provider::configure;
    get_functions(get_functions) => "GetFunctions", provider::get_functions;
    validate_resource_type_config(validate_resource_type_config) => "ValidateResourceTypeConfig", resources::validate;
    upgrade_resource_state(upgrade_resource_state) => "UpgradeResourceState", resources::upgrade_state;
    read_resource(read_resource) => "ReadResource", resources::read;
    plan_resource_change(plan_resource_change) => "PlanResourceChange", resources::plan;
    apply_resource_change(apply_resource_change) => "ApplyResourceChange", resources::apply;
    import_resource_state(import_resource_state) => "ImportResourceState", resources::import;
    move_resource_state(move_resource_state) => "MoveResourceState", resources::move_state;
    generate_resource_config(generate_resource_config) => "GenerateResourceConfig", resources::generate_config;
    get_resource_identity_schemas(get_resource_identity_schemas) => "GetResourceIdentitySchemas", identity::schemas;
    upgrade_resource_identity(upgrade_resource_identity) => "UpgradeResourceIdentity", identity::upgrade;
    validate_data_source_config(validate_data_source_config) => "ValidateDataSourceConfig", data_sources::validate;
    read_data_source(read_data_source) => "ReadDataSource", data_sources::read;
    validate_ephemeral_resource_config(validate_ephemeral_resource_config) => "ValidateEphemeralResourceConfig", ephemeral::validate;
    open_ephemeral_resource(open_ephemeral_resource) => "OpenEphemeralResource", ephemeral::open;
    renew_ephemeral_resource(renew_ephemeral_resource) => "RenewEphemeralResource", ephemeral::renew;
    close_ephemeral_resource(close_ephemeral_resource) => "CloseEphemeralResource", ephemeral::close;
    validate_list_resource_config(validate_list_resource_config) => "ValidateListResourceConfig", list::validate;
}

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
