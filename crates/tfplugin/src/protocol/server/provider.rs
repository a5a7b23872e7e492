//! Provider-level RPCs: metadata, the schema response, provider configuration and
//! (absent) functions.

use crate::framework::engine::Engine;
use crate::protocol::convert::diagnostics;
use crate::protocol::guard::{decode_or_return, guarded};
use crate::protocol::proto::tfplugin5 as pb;
use tonic::{Response, Status};

/// The full schema response (also used by `GetMetadata`).
fn schema_response(engine: &Engine) -> pb::get_provider_schema::Response {
    pb::get_provider_schema::Response {
        provider: Some((&engine.provider().schema).into()),
        resource_schemas: engine
            .resources()
            .iter()
            .map(|(k, r)| (k.clone(), (&r.schema).into()))
            .collect(),
        data_source_schemas: engine
            .data_sources()
            .iter()
            .map(|(k, d)| (k.clone(), (&d.schema).into()))
            .collect(),
        ephemeral_resource_schemas: engine
            .ephemeral_resources()
            .iter()
            .map(|(k, e)| (k.clone(), (&e.schema).into()))
            .collect(),
        list_resource_schemas: engine
            .list_resources()
            .iter()
            .map(|(k, l)| (k.clone(), (&l.schema).into()))
            .collect(),
        server_capabilities: Some(capabilities(engine)),
        ..Default::default()
    }
}

fn capabilities(engine: &Engine) -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: engine.generates_config(),
    }
}

pub(super) async fn get_metadata(
    engine: &Engine,
) -> Result<Response<pb::get_metadata::Response>, Status> {
    guarded("GetMetadata", async {
        pb::get_metadata::Response {
            server_capabilities: Some(capabilities(engine)),
            resources: engine
                .resources()
                .keys()
                .map(|k| pb::get_metadata::ResourceMetadata {
                    type_name: k.clone(),
                })
                .collect(),
            data_sources: engine
                .data_sources()
                .keys()
                .map(|k| pb::get_metadata::DataSourceMetadata {
                    type_name: k.clone(),
                })
                .collect(),
            ephemeral_resources: engine
                .ephemeral_resources()
                .keys()
                .map(|k| pb::get_metadata::EphemeralMetadata {
                    type_name: k.clone(),
                })
                .collect(),
            list_resources: engine
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

pub(super) async fn get_schema(
    engine: &Engine,
) -> Result<Response<pb::get_provider_schema::Response>, Status> {
    guarded("GetSchema", async { schema_response(engine) }).await
}

pub(super) async fn prepare_config(
    engine: &Engine,
    req: pb::prepare_provider_config::Request,
) -> Result<Response<pb::prepare_provider_config::Response>, Status> {
    guarded("PrepareProviderConfig", async {
        let ty = &engine.provider().ty;
        let config = decode_or_return!(req.config.as_ref(), ty, "provider configuration");
        let d = engine.validate_provider(&config).await;
        // Terraform ignores prepared_config; leaving it unset is allowed.
        pb::prepare_provider_config::Response {
            prepared_config: None,
            diagnostics: diagnostics(&d),
        }
    })
    .await
}

pub(super) async fn configure(
    engine: &Engine,
    req: pb::configure::Request,
) -> Result<Response<pb::configure::Response>, Status> {
    guarded("Configure", async {
        let ty = &engine.provider().ty;
        let config = decode_or_return!(req.config.as_ref(), ty, "provider configuration");
        let d = engine.configure(&req.terraform_version, &config).await;
        pb::configure::Response {
            diagnostics: diagnostics(&d),
        }
    })
    .await
}

pub(super) async fn get_functions() -> Result<Response<pb::get_functions::Response>, Status> {
    guarded("GetFunctions", async {
        pb::get_functions::Response::default()
    })
    .await
}

pub(super) fn call_function(name: String) -> Result<Response<pb::call_function::Response>, Status> {
    tracing::debug!(rpc = "CallFunction", function = %name, "RPC started");
    Ok(Response::new(pb::call_function::Response {
        result: None,
        error: Some(pb::FunctionError {
            text: format!("This provider has no function named {name:?}."),
            function_argument: None,
        }),
    }))
}

pub(super) fn stop(engine: &Engine) -> Result<Response<pb::stop::Response>, Status> {
    tracing::info!(rpc = "Stop", "cancelling in-flight operations");
    engine.stop();
    Ok(Response::new(pb::stop::Response {
        error: String::new(),
    }))
}
