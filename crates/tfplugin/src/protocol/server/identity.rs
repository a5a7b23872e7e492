//! Resource identity RPCs (identity schemas, identity upgrade) and the encoding of an
//! identity into the responses of the resource RPCs.

use crate::framework::engine::{Engine, RawState};
use crate::framework::{Diagnostics, Value};
use crate::protocol::convert::diagnostics;
use crate::protocol::guard::encode_into;
use crate::protocol::proto::tfplugin5 as pb;

/// Encodes an identity of resource type `name` (`None` when it has none).
pub(super) fn encode(
    engine: &Engine,
    name: &str,
    identity: Option<&Value>,
    d: &mut Diagnostics,
) -> Option<pb::ResourceIdentityData> {
    let schema = engine.identity_schema(name)?;
    let data = encode_into(d, identity?, &schema.implied_type(), "identity")?;
    Some(pb::ResourceIdentityData {
        identity_data: Some(data),
    })
}

pub(super) async fn schemas(
    engine: &Engine,
    _req: pb::get_resource_identity_schemas::Request,
) -> pb::get_resource_identity_schemas::Response {
    pb::get_resource_identity_schemas::Response {
        identity_schemas: engine
            .identity_schemas()
            .iter()
            .map(|(k, i)| (k.clone(), i.into()))
            .collect(),
        diagnostics: vec![],
    }
}

pub(super) async fn upgrade(
    engine: &Engine,
    req: pb::upgrade_resource_identity::Request,
) -> pb::upgrade_resource_identity::Response {
    let raw = RawState::from(req.raw_identity);
    let (value, mut d) = engine.upgrade_identity(&req.type_name, &raw);
    let upgraded_identity = value.and_then(|v| encode(engine, &req.type_name, Some(&v), &mut d));
    pb::upgrade_resource_identity::Response {
        upgraded_identity,
        diagnostics: diagnostics(&d),
    }
}
