//! Ephemeral resource RPCs: validate, open, renew and close.

use crate::framework::engine::Engine;
use crate::protocol::convert::diagnostics;
use crate::protocol::guard::{decode_or_return, encode_into, guarded, lookup_or_return};
use crate::protocol::proto::tfplugin5 as pb;
use tonic::{Response, Status};

pub(super) async fn validate(
    engine: &Engine,
    req: pb::validate_ephemeral_resource_config::Request,
) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
    guarded("ValidateEphemeralResourceConfig", async {
        let e = lookup_or_return!(engine.ephemeral_resource(&req.type_name));
        let config = decode_or_return!(
            req.config.as_ref(),
            &e.ty,
            "ephemeral resource configuration"
        );
        let d = engine.validate_ephemeral(&req.type_name, &config).await;
        pb::validate_ephemeral_resource_config::Response {
            diagnostics: diagnostics(&d),
        }
    })
    .await
}

pub(super) async fn open(
    engine: &Engine,
    req: pb::open_ephemeral_resource::Request,
) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
    guarded("OpenEphemeralResource", async {
        let e = lookup_or_return!(engine.ephemeral_resource(&req.type_name));
        let config = decode_or_return!(
            req.config.as_ref(),
            &e.ty,
            "ephemeral resource configuration"
        );
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
    })
    .await
}

pub(super) async fn renew(
    engine: &Engine,
    req: pb::renew_ephemeral_resource::Request,
) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
    guarded("RenewEphemeralResource", async {
        let out = engine
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

pub(super) async fn close(
    engine: &Engine,
    req: pb::close_ephemeral_resource::Request,
) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
    guarded("CloseEphemeralResource", async {
        let d = engine
            .close_ephemeral(&req.type_name, req.private.unwrap_or_default())
            .await;
        pb::close_ephemeral_resource::Response {
            diagnostics: diagnostics(&d),
        }
    })
    .await
}
