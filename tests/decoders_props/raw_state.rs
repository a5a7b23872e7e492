//! The raw-state JSON path of `UpgradeResourceState`: any bytes, state-shaped JSON and
//! well-typed states through `Engine::upgrade_resource_state` with the real provider.

use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use serde_json::Value as J;
use tfld::framework::engine::{Engine, RawState};
use tfld::framework::json::{self, ObjectMode};
use tfld::framework::{AttributePath, Type, Value, msgpack};

use super::json_value;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Arc::new(tfld::provider::LaunchDarklyProvider::new())))
}

fn token_type() -> Type {
    tfld::provider::access_token::schema::schema().implied_type()
}

fn upgrade(version: i64, json: &[u8]) -> (Option<Value>, tfld::framework::Diagnostics) {
    let raw = RawState {
        json: json.to_vec(),
        flatmap: false,
    };
    futures::executor::block_on(engine().upgrade_resource_state(
        "launchdarkly_access_token",
        version,
        &raw,
    ))
}

/// Objects with the access token's attribute names (and the statements' names, and a
/// stranger) holding anything, so decoding gets past the top level.
fn state_like() -> impl Strategy<Value = J> {
    let Type::Object(attrs) = token_type() else {
        panic!("the resource type is an object")
    };
    let mut names: Vec<String> = attrs.keys().cloned().collect();
    names.extend(
        ["effect", "resources", "not_actions", "unknown_attribute"]
            .iter()
            .map(|s| s.to_string()),
    );
    let statement = prop::collection::btree_map(
        prop::sample::select(vec![
            "effect",
            "resources",
            "not_resources",
            "actions",
            "not_actions",
        ]),
        json_value(),
        0..6,
    )
    .prop_map(|m| J::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
    let attribute = prop_oneof![
        4 => json_value(),
        1 => prop::collection::vec(statement, 0..3).prop_map(J::Array),
        1 => prop::collection::vec(".{0,6}".prop_map(J::String), 0..4).prop_map(J::Array),
    ];
    prop::collection::btree_map(prop::sample::select(names), attribute, 0..14)
        .prop_map(|m| J::Object(m.into_iter().collect()))
}

/// JSON conforming to `ty` (whole numbers only: the model decodes them as integers).
/// Attributes may be null; collection elements are not (Terraform never stores a null
/// element in these attributes).
fn conforming(ty: &Type, may_be_null: bool) -> BoxedStrategy<J> {
    let nullable = |s: BoxedStrategy<J>| {
        if may_be_null {
            prop_oneof![1 => Just(J::Null), 4 => s].boxed()
        } else {
            s
        }
    };
    match ty {
        Type::String => nullable(".{0,10}".prop_map(J::String).boxed()),
        Type::Number => nullable(any::<i64>().prop_map(J::from).boxed()),
        Type::Bool => nullable(any::<bool>().prop_map(J::Bool).boxed()),
        Type::List(t) | Type::Set(t) => nullable(
            prop::collection::vec(conforming(t, false), 0..3)
                .prop_map(J::Array)
                .boxed(),
        ),
        Type::Map(t) => nullable(
            prop::collection::btree_map("[a-z]{1,6}", conforming(t, false), 0..3)
                .prop_map(|m| J::Object(m.into_iter().collect()))
                .boxed(),
        ),
        Type::Object(attrs) => {
            let fields: Vec<BoxedStrategy<(String, J)>> = attrs
                .iter()
                .map(|(k, t)| {
                    let k = k.clone();
                    conforming(t, true)
                        .prop_map(move |v| (k.clone(), v))
                        .boxed()
                })
                .collect();
            nullable(
                fields
                    .prop_map(|kv| J::Object(kv.into_iter().collect()))
                    .boxed(),
            )
        }
        Type::Tuple(_) | Type::Dynamic => Just(J::Null).boxed(),
    }
}

/// What an upgraded state must satisfy to be sent to Terraform.
fn assert_sendable(value: &Value, ty: &Type) -> Result<(), TestCaseError> {
    let packed = msgpack::encode(value, ty)
        .map_err(|e| TestCaseError::fail(format!("does not encode as its type: {e:?}")))?;
    let unpacked = msgpack::decode(&packed, ty)
        .map_err(|e| TestCaseError::fail(format!("does not decode back: {e:?}")))?;
    prop_assert_eq!(&unpacked, value);
    let j = json::to_json(value, &AttributePath::root())
        .map_err(|e| TestCaseError::fail(format!("no JSON form: {e:?}")))?;
    let back = json::from_json(&j, ty, ObjectMode::Strict, &AttributePath::root())
        .map_err(|e| TestCaseError::fail(format!("its JSON does not decode strictly: {e:?}")))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any bytes, any version: no panic; errors mean no state; a state is sendable.
    #[test]
    fn raw_state_bytes_never_panic(version in -1i64..=2, bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let ty = token_type();
        let _ = json::decode(&bytes, &ty, ObjectMode::Strict);
        let _ = json::decode(&bytes, &ty, ObjectMode::Lenient);
        let (value, d) = upgrade(version, &bytes);
        if d.has_errors() {
            prop_assert!(value.is_none());
        }
        if let Some(v) = value {
            assert_sendable(&v, &ty)?;
        }
    }

    /// State-shaped JSON with wrong types, extra and missing attributes, odd numbers.
    #[test]
    fn state_shaped_json_upgrades_or_fails_cleanly(version in -1i64..=2, state in state_like()) {
        let ty = token_type();
        let bytes = serde_json::to_vec(&state).expect("serialize");
        let (value, d) = upgrade(version, &bytes);
        if d.has_errors() {
            prop_assert!(value.is_none());
            prop_assert!(d.iter().all(|x| !x.summary.is_empty()));
        }
        if let Some(v) = value {
            assert_sendable(&v, &ty)?;
        }
    }

    /// Every well-typed state of either schema version upgrades without an error, and
    /// upgrading the result again changes nothing.
    #[test]
    fn well_typed_states_upgrade_and_the_upgrade_is_idempotent(
        version in 0i64..=1,
        state in conforming(&token_type(), false),
    ) {
        let ty = token_type();
        let bytes = serde_json::to_vec(&state).expect("serialize");
        let (value, d) = upgrade(version, &bytes);
        prop_assert!(!d.has_errors(), "{:?}", d);
        let v = value.expect("a state");
        assert_sendable(&v, &ty)?;
        let again = serde_json::to_vec(&json::to_json(&v, &AttributePath::root()).expect("json")).expect("bytes");
        let (v2, d2) = upgrade(1, &again);
        prop_assert!(!d2.has_errors(), "{:?}", d2);
        prop_assert_eq!(v2.expect("a state"), v);
    }
}
