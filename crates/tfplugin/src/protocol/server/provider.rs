//! Provider-level RPCs: metadata, the schema response, provider configuration and
//! (absent) functions.

use crate::framework::engine::{Engine, Registry};
use crate::protocol::guard::config_diagnostics;
use crate::protocol::proto::tfplugin5 as pb;
use pb::get_metadata as meta;
use tonic::{Response, Status};

const CONFIG: &str = "provider configuration";

pub(super) async fn get_schema(
    engine: &Engine,
    _req: pb::get_provider_schema::Request,
) -> pb::get_provider_schema::Response {
    pb::get_provider_schema::Response {
        provider: Some((&engine.provider().schema).into()),
        resource_schemas: schemas(engine.resources()),
        data_source_schemas: schemas(engine.data_sources()),
        ephemeral_resource_schemas: schemas(engine.ephemeral_resources()),
        list_resource_schemas: schemas(engine.list_resources()),
        server_capabilities: Some(capabilities(engine)),
        ..Default::default()
    }
}

/// The schema of every type in `registry`, by type name.
fn schemas<T: ?Sized, C: FromIterator<(String, pb::Schema)>>(registry: &Registry<T>) -> C {
    registry
        .iter()
        .map(|(name, kind)| (name.clone(), (&kind.schema).into()))
        .collect()
}

/// The name of every type in `registry`, each in the message `meta` makes of it.
fn type_names<T: ?Sized, M>(registry: &Registry<T>, meta: impl Fn(String) -> M) -> Vec<M> {
    registry.keys().cloned().map(meta).collect()
}

fn capabilities(engine: &Engine) -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: false,
        generate_resource_config: engine.generates_config(),
    }
}

pub(super) async fn get_metadata(engine: &Engine, _req: meta::Request) -> meta::Response {
    meta::Response {
        server_capabilities: Some(capabilities(engine)),
        resources: type_names(engine.resources(), |type_name| meta::ResourceMetadata {
            type_name,
        }),
        data_sources: type_names(engine.data_sources(), |type_name| {
            meta::DataSourceMetadata { type_name }
        }),
        ephemeral_resources: type_names(engine.ephemeral_resources(), |type_name| {
            meta::EphemeralMetadata { type_name }
        }),
        list_resources: type_names(engine.list_resources(), |type_name| {
            meta::ListResourceMetadata { type_name }
        }),
        ..Default::default()
    }
}

/// Terraform ignores `prepared_config`; leaving it unset is allowed.
pub(super) async fn prepare_config(
    engine: &Engine,
    req: pb::prepare_provider_config::Request,
) -> pb::prepare_provider_config::Response {
    let check = async |config: &_| engine.validate_provider(config).await;
    config_diagnostics(Ok(engine.provider()), req.config.as_ref(), CONFIG, check).await
}

pub(super) async fn configure(
    engine: &Engine,
    req: pb::configure::Request,
) -> pb::configure::Response {
    let version = &req.terraform_version;
    let configure = async |config: &_| engine.configure(version, config).await;
    config_diagnostics(
        Ok(engine.provider()),
        req.config.as_ref(),
        CONFIG,
        configure,
    )
    .await
}

pub(super) async fn get_functions(
    _engine: &Engine,
    _req: pb::get_functions::Request,
) -> pb::get_functions::Response {
    pb::get_functions::Response::default()
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
