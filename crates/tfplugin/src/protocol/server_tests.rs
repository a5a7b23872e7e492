//! Handler-level tests of the tfplugin5 service with a stub provider: panics,
//! undecodable values and Stop.

use super::*;
use crate::framework::provider::{ApplyRequest, Ctx, PlanRequest, Resource};
use crate::framework::test_support::StubProvider;
use crate::framework::{Attribute, Block, Outcome, Plan, Schema, Type, Value};
use crate::protocol::convert::encode_value;

struct Panicky;

#[async_trait::async_trait]
impl Resource for Panicky {
    fn name(&self) -> &'static str {
        "thing"
    }
    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![Attribute::optional("x", Type::String, "")],
                ..Block::default()
            },
        }
    }
    async fn read(&self, _: &Ctx, _: Value, _: Vec<u8>) -> Outcome {
        panic!("boom in read")
    }
    async fn plan(&self, _: &Ctx, _: PlanRequest) -> Plan {
        panic!("boom in plan")
    }
    async fn apply(&self, _: &Ctx, _: ApplyRequest) -> Outcome {
        Outcome::default()
    }
}

fn service() -> ProviderService {
    ProviderService::new(Arc::new(StubProvider {
        type_name: "test",
        resources: vec![Arc::new(Panicky)],
        ..StubProvider::default()
    }))
}

#[tokio::test]
async fn a_panic_becomes_an_error_diagnostic_and_the_server_keeps_serving() {
    let svc = service();
    let ty = Type::object([("x", Type::String)]);
    let state = encode_value(&Value::object([("x", Value::from("a"))]), &ty, "s").unwrap();
    let r = svc
        .read_resource(Request::new(pb::read_resource::Request {
            type_name: "test_thing".into(),
            current_state: Some(state),
            ..Default::default()
        }))
        .await
        .expect("no transport error")
        .into_inner();
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(
        r.diagnostics[0].severity,
        pb::diagnostic::Severity::Error as i32
    );
    assert!(
        r.diagnostics[0].detail.contains("boom in read"),
        "{:?}",
        r.diagnostics
    );
    let s = svc
        .get_schema(Request::new(pb::get_provider_schema::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert!(s.resource_schemas.contains_key("test_thing"));
}

#[tokio::test]
async fn undecodable_values_are_diagnostics() {
    let svc = service();
    let r = svc
        .validate_resource_type_config(Request::new(pb::validate_resource_type_config::Request {
            type_name: "test_thing".into(),
            config: Some(pb::DynamicValue {
                msgpack: vec![0x81, 0xa1, b'y', 0x01],
                json: vec![],
            }),
            client_capabilities: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(
        r.diagnostics[0]
            .summary
            .contains("Invalid resource configuration"),
        "{:?}",
        r.diagnostics
    );
}

#[tokio::test]
async fn stop_cancels_in_flight_contexts_only() {
    let svc = service();
    let before = svc.engine.ctx();
    svc.stop(Request::new(pb::stop::Request {})).await.unwrap();
    assert!(
        before.cancel.is_cancelled(),
        "in-flight work sees the cancellation"
    );
    assert!(
        !svc.engine.ctx().cancel.is_cancelled(),
        "later calls start afresh"
    );
}
