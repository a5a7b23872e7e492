//! Ephemeral resource RPCs: validate, open, renew and close.

use crate::framework::engine::Engine;
use crate::protocol::convert::diagnostics;
use crate::protocol::guard::{HasDiagnostics, encode_into, lookup_and_decode, validate_rpc};
use crate::protocol::proto::tfplugin5 as pb;

const CONFIG: &str = "ephemeral resource configuration";

validate_rpc!(
    validate(validate_ephemeral_resource_config): ephemeral_resource, validate_ephemeral, CONFIG
);

pub(super) async fn open(
    engine: &Engine,
    req: pb::open_ephemeral_resource::Request,
) -> pb::open_ephemeral_resource::Response {
    let kind = engine.ephemeral_resource(&req.type_name);
    let (e, config) = lookup_and_decode!(kind, req.config, CONFIG);
    let mut out = engine.open_ephemeral(&req.type_name, config).await;
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
}

pub(super) async fn renew(
    engine: &Engine,
    req: pb::renew_ephemeral_resource::Request,
) -> pb::renew_ephemeral_resource::Response {
    let out = engine
        .renew_ephemeral(&req.type_name, req.private.unwrap_or_default())
        .await;
    pb::renew_ephemeral_resource::Response {
        diagnostics: diagnostics(&out.diagnostics),
        renew_at: out.renew_at.map(prost_types::Timestamp::from),
        private: Some(out.private),
    }
}

pub(super) async fn close(
    engine: &Engine,
    req: pb::close_ephemeral_resource::Request,
) -> pb::close_ephemeral_resource::Response {
    let private = req.private.unwrap_or_default();
    HasDiagnostics::from_diagnostics(&engine.close_ephemeral(&req.type_name, private).await)
}
