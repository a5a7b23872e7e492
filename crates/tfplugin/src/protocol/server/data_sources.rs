//! Data source RPCs: `ValidateDataSourceConfig` and `ReadDataSource`.

use crate::framework::engine::Engine;
use crate::protocol::convert::diagnostics;
use crate::protocol::guard::{encode_into, lookup_and_decode, validate_rpc};
use crate::protocol::proto::tfplugin5 as pb;

const CONFIG: &str = "data source configuration";

validate_rpc!(validate(validate_data_source_config): data_source, validate_data_source, CONFIG);

pub(super) async fn read(
    engine: &Engine,
    req: pb::read_data_source::Request,
) -> pb::read_data_source::Response {
    let (ds, config) = lookup_and_decode!(engine.data_source(&req.type_name), req.config, CONFIG);
    let (state, mut d) = engine.read_data_source(&req.type_name, config).await;
    let state = state.and_then(|v| encode_into(&mut d, &v, &ds.ty, "data source state"));
    pb::read_data_source::Response {
        state,
        diagnostics: diagnostics(&d),
        deferred: None,
    }
}
