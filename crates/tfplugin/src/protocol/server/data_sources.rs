//! Data source RPCs: `ValidateDataSourceConfig` and `ReadDataSource`.

use crate::framework::engine::Engine;
use crate::protocol::convert::diagnostics;
use crate::protocol::guard::{decode_or_return, encode_into, guarded, lookup_or_return};
use crate::protocol::proto::tfplugin5 as pb;
use tonic::{Response, Status};

pub(super) async fn validate(
    engine: &Engine,
    req: pb::validate_data_source_config::Request,
) -> Result<Response<pb::validate_data_source_config::Response>, Status> {
    guarded("ValidateDataSourceConfig", async {
        let ds = lookup_or_return!(engine.data_source(&req.type_name));
        let config = decode_or_return!(req.config.as_ref(), &ds.ty, "data source configuration");
        let d = engine.validate_data_source(&req.type_name, &config).await;
        pb::validate_data_source_config::Response {
            diagnostics: diagnostics(&d),
        }
    })
    .await
}

pub(super) async fn read(
    engine: &Engine,
    req: pb::read_data_source::Request,
) -> Result<Response<pb::read_data_source::Response>, Status> {
    guarded("ReadDataSource", async {
        let ds = lookup_or_return!(engine.data_source(&req.type_name));
        let config = decode_or_return!(req.config.as_ref(), &ds.ty, "data source configuration");
        let (state, mut d) = engine.read_data_source(&req.type_name, config).await;
        let state = state.and_then(|v| encode_into(&mut d, &v, &ds.ty, "data source state"));
        pb::read_data_source::Response {
            state,
            diagnostics: diagnostics(&d),
            deferred: None,
        }
    })
    .await
}
