//! Feeds arbitrary bytes to the raw-state path of `UpgradeResourceState` for
//! `launchdarkly_access_token` — `Engine::upgrade_resource_state` with the real provider, so
//! the JSON decoder (`tfld::framework::json`), the resource's own `upgrade` (schema versions
//! 0 and 1) and the refusals (flatmap, newer versions) all run — and to the JSON decoder
//! alone, strict and lenient, against the resource's schema type.
//!
//! Invariants: never a panic or hang; an upgrade that reports an error returns no state; an
//! upgraded state is one Terraform can be sent — it encodes as msgpack of the schema type,
//! and decodes back to the same value, from msgpack and (strictly) from its JSON form.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tfld::framework::engine::{Engine, RawState};
use tfld::framework::json::{self, ObjectMode};
use tfld::framework::{AttributePath, Type, msgpack};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::new(std::sync::Arc::new(
            tfld::provider::LaunchDarklyProvider::new(),
        ))
    })
}

fn schema_type() -> &'static Type {
    static TY: OnceLock<Type> = OnceLock::new();
    TY.get_or_init(|| tfld::provider::access_token::schema::schema().implied_type())
}

fuzz_target!(|data: &[u8]| {
    let Some((head, json_bytes)) = data.split_first() else {
        return;
    };
    // Versions -1..=2: before the first, the official provider's (0), ours (1), a newer one.
    let version = i64::from(head & 0x03) - 1;
    let flatmap = head & 0x80 != 0;
    let ty = schema_type();

    let _ = json::decode(json_bytes, ty, ObjectMode::Strict);
    let _ = json::decode(json_bytes, ty, ObjectMode::Lenient);

    let raw = RawState {
        json: json_bytes.to_vec(),
        flatmap,
    };
    let (value, diags) = futures::executor::block_on(engine().upgrade_resource_state(
        "launchdarkly_access_token",
        version,
        &raw,
    ));
    if diags.has_errors() {
        assert!(value.is_none(), "an upgrade with errors returned a state");
    }
    let Some(value) = value else {
        return;
    };
    let packed = msgpack::encode(&value, ty).unwrap_or_else(|e| {
        panic!("an upgraded state does not encode as its type: {e:?}\n{value:?}")
    });
    let unpacked = msgpack::decode(&packed, ty).expect("decode what was encoded");
    assert_eq!(unpacked, value, "msgpack round trip");
    let as_json = json::to_json(&value, &AttributePath::root()).expect("upgraded state to JSON");
    let back = json::from_json(&as_json, ty, ObjectMode::Strict, &AttributePath::root())
        .expect("strict decode of an upgraded state's JSON");
    assert_eq!(back, value, "JSON round trip");
});
