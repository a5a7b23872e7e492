//! The tfplugin5 `Provider` service: the service struct and the trait impl, which hands
//! each RPC to its family's module (provider-level, resources, identity, data sources,
//! ephemeral and list resources). Each handler is the same short shape:
//! look up the type and schema, decode the request values, call the
//! engine, encode the result; policy lives in the engine. Panics inside a handler become an error
//! diagnostic (the plugin keeps serving); `Stop` cancels in-flight work but
//! never stops the server.

mod data_sources;
mod ephemeral;
mod identity;
mod provider;
mod resources;

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

#[tonic::async_trait]
impl Rpc for ProviderService {
    async fn get_metadata(
        &self,
        _req: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        provider::get_metadata(&self.engine).await
    }

    async fn get_schema(
        &self,
        _req: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        provider::get_schema(&self.engine).await
    }

    async fn prepare_provider_config(
        &self,
        req: Request<pb::prepare_provider_config::Request>,
    ) -> Result<Response<pb::prepare_provider_config::Response>, Status> {
        provider::prepare_config(&self.engine, req.into_inner()).await
    }

    async fn validate_resource_type_config(
        &self,
        req: Request<pb::validate_resource_type_config::Request>,
    ) -> Result<Response<pb::validate_resource_type_config::Response>, Status> {
        resources::validate(&self.engine, req.into_inner()).await
    }

    async fn validate_data_source_config(
        &self,
        req: Request<pb::validate_data_source_config::Request>,
    ) -> Result<Response<pb::validate_data_source_config::Response>, Status> {
        data_sources::validate(&self.engine, req.into_inner()).await
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        resources::upgrade_state(&self.engine, req.into_inner()).await
    }

    async fn configure(
        &self,
        req: Request<pb::configure::Request>,
    ) -> Result<Response<pb::configure::Response>, Status> {
        provider::configure(&self.engine, req.into_inner()).await
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        resources::read(&self.engine, req.into_inner()).await
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        resources::plan(&self.engine, req.into_inner()).await
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        resources::apply(&self.engine, req.into_inner()).await
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        resources::import(&self.engine, req.into_inner()).await
    }

    async fn move_resource_state(
        &self,
        _req: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        resources::move_state().await
    }

    async fn generate_resource_config(
        &self,
        req: Request<pb::generate_resource_config::Request>,
    ) -> Result<Response<pb::generate_resource_config::Response>, Status> {
        resources::generate_config(&self.engine, req.into_inner()).await
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        data_sources::read(&self.engine, req.into_inner()).await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        ephemeral::validate(&self.engine, req.into_inner()).await
    }

    async fn open_ephemeral_resource(
        &self,
        req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        ephemeral::open(&self.engine, req.into_inner()).await
    }

    async fn renew_ephemeral_resource(
        &self,
        req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        ephemeral::renew(&self.engine, req.into_inner()).await
    }

    async fn close_ephemeral_resource(
        &self,
        req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        ephemeral::close(&self.engine, req.into_inner()).await
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
        identity::schemas(&self.engine).await
    }

    async fn upgrade_resource_identity(
        &self,
        req: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        identity::upgrade(&self.engine, req.into_inner()).await
    }

    async fn get_functions(
        &self,
        _req: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        provider::get_functions().await
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

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
