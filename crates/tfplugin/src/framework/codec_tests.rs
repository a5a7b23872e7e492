//! Codec tests across every cty kind: msgpack and JSON round-trips, unknown
//! and refined-unknown input, numbers beyond i64/f64, nested blocks, and a
//! property test that random or mutated bytes never panic the decoder.

use super::json::{self, ObjectMode};
use super::msgpack::{decode, encode};
use super::number::Number;
use super::path::AttributePath;
use super::schema::{Attribute, Block, NestedBlock, Nesting};
use super::types::Type;
use super::value::Value;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn num(s: &str) -> Value {
    Value::Number(Number::parse(s).expect("number"))
}

fn cases() -> Vec<(&'static str, Type, Value)> {
    let obj_ty = Type::object([("a", Type::String), ("b", Type::Number), ("c", Type::Bool)]);
    vec![
        ("string", Type::String, Value::from("héllo ✓")),
        ("empty string", Type::String, Value::from("")),
        ("null string", Type::String, Value::Null),
        ("unknown string", Type::String, Value::unknown()),
        ("bool", Type::Bool, Value::Bool(true)),
        ("small int", Type::Number, Value::int(7)),
        ("negative int", Type::Number, Value::int(-300_000)),
        ("i64 max", Type::Number, Value::int(i64::MAX)),
        ("u64 max", Type::Number, num("18446744073709551615")),
        (
            "big int",
            Type::Number,
            num("123456789012345678901234567890"),
        ),
        ("fraction", Type::Number, num("0.1")),
        (
            "long fraction",
            Type::Number,
            num("3.14159265358979323846264338327950288"),
        ),
        ("infinity", Type::Number, Value::Number(Number::PosInfinity)),
        (
            "list",
            Type::list(Type::String),
            Value::List(vec!["a".into(), "b".into()]),
        ),
        ("empty list", Type::list(Type::String), Value::List(vec![])),
        (
            "list with unknown",
            Type::list(Type::Number),
            Value::List(vec![Value::int(1), Value::unknown()]),
        ),
        (
            "set",
            Type::set(Type::String),
            Value::Set(vec!["x".into(), "y".into()]),
        ),
        (
            "map",
            Type::map(Type::Number),
            Value::Map(BTreeMap::from([
                ("k".to_string(), Value::int(1)),
                ("z".into(), Value::Null),
            ])),
        ),
        (
            "object",
            obj_ty.clone(),
            Value::object([
                ("a", Value::from("x")),
                ("b", num("1.5")),
                ("c", Value::Null),
            ]),
        ),
        (
            "tuple",
            Type::Tuple(vec![Type::String, Type::Bool]),
            Value::Tuple(vec!["s".into(), Value::Bool(false)]),
        ),
        (
            "dynamic",
            Type::Dynamic,
            Value::Dynamic(
                Box::new(Type::list(Type::String)),
                Box::new(Value::List(vec!["q".into()])),
            ),
        ),
        ("null dynamic", Type::Dynamic, Value::Null),
        ("unknown dynamic", Type::Dynamic, Value::unknown()),
        (
            "set of objects",
            Type::set(obj_ty.clone()),
            Value::Set(vec![Value::null_object_of(&obj_ty)]),
        ),
    ]
}

#[test]
fn msgpack_round_trips_every_kind() {
    for (name, ty, v) in cases() {
        let bytes = encode(&v, &ty).unwrap_or_else(|e| panic!("{name}: encode: {e}"));
        let back = decode(&bytes, &ty).unwrap_or_else(|e| panic!("{name}: decode: {e}"));
        assert_eq!(back, v, "{name}");
    }
}

#[test]
fn json_round_trips_known_values() {
    for (name, ty, v) in cases() {
        // JSON has no unknowns or infinities; numbers keep full precision
        // (serde_json's arbitrary_precision).
        if !v.is_wholly_known() || name == "infinity" {
            continue;
        }
        let j = json::to_json(&v, &AttributePath::root()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let back = json::from_json(&j, &ty, ObjectMode::Strict, &AttributePath::root())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back, v, "{name}");
    }
}

#[test]
fn raw_state_json_numbers_keep_full_precision() {
    let ty = Type::object([("n", Type::Number)]);
    let raw = br#"{"n": 123456789012345678901234567890.000000000000000000001}"#;
    let v = json::decode(raw, &ty, ObjectMode::Strict).unwrap();
    assert_eq!(
        v.get("n"),
        Some(&num("123456789012345678901234567890.000000000000000000001"))
    );
}

#[test]
fn numbers_use_the_narrowest_exact_encoding() {
    // int → msgpack int; exact float → float64; otherwise a decimal string.
    assert_eq!(encode(&Value::int(5), &Type::Number).unwrap(), vec![0x05]);
    assert_eq!(encode(&num("0.5"), &Type::Number).unwrap()[0], 0xcb);
    let big = encode(&num("123456789012345678901234567890"), &Type::Number).unwrap();
    assert_eq!(big[0] & 0xe0, 0xa0, "fixstr for a big decimal");
    // Decoding accepts every msgpack number form, and strings.
    assert_eq!(
        decode(&[0xcc, 0xff], &Type::Number).unwrap(),
        Value::int(255)
    );
    assert_eq!(
        decode(&[0xca, 0x3f, 0x00, 0x00, 0x00], &Type::Number).unwrap(),
        num("0.5")
    );
    assert_eq!(
        decode(&[0xa3, b'1', b'.', b'5'], &Type::Number).unwrap(),
        num("1.5")
    );
}

#[test]
fn nested_blocks_encode_as_their_implied_type() {
    let block = Block {
        attributes: vec![Attribute::required("name", Type::String, "")],
        blocks: vec![
            NestedBlock::new(
                "rule",
                Nesting::List,
                Block {
                    attributes: vec![Attribute::optional("x", Type::Number, "")],
                    ..Block::default()
                },
            ),
            NestedBlock::new(
                "tag",
                Nesting::Set,
                Block {
                    attributes: vec![Attribute::optional("k", Type::String, "")],
                    ..Block::default()
                },
            ),
            NestedBlock::new(
                "single",
                Nesting::Single,
                Block {
                    attributes: vec![Attribute::optional("y", Type::Bool, "")],
                    ..Block::default()
                },
            ),
        ],
        ..Block::default()
    };
    let ty = block.implied_type();
    let v = Value::object([
        ("name", Value::from("n")),
        (
            "rule",
            Value::List(vec![
                Value::object([("x", Value::int(1))]),
                Value::object([("x", Value::Null)]),
            ]),
        ),
        ("tag", Value::Set(vec![])),
        ("single", Value::Null),
    ]);
    let back = decode(&encode(&v, &ty).unwrap(), &ty).unwrap();
    assert_eq!(back, v);
}

#[test]
fn unknown_extensions() {
    // ext0 fixext1 (what cty writes), ext8 len 0, and any ext of length ≤ 1.
    for bytes in [
        vec![0xd4, 0x00, 0x00],
        vec![0xc7, 0x00, 0x00],
        vec![0xd4, 0x05, 0x01],
    ] {
        assert!(
            decode(&bytes, &Type::String).unwrap().is_unknown(),
            "{bytes:02x?}"
        );
    }
    // A longer extension with a code other than 12 is an error, like go-cty.
    assert!(decode(&[0xd5, 0x03, 0x00, 0x00], &Type::String).is_err());
    // Refinement keys we do not know are ignored.
    let payload = [0x82, 0x01, 0xc2, 0x09, 0xa1, b'?'];
    let mut bytes = vec![0xc7, payload.len() as u8, 0x0c];
    bytes.extend_from_slice(&payload);
    let v = decode(&bytes, &Type::String).unwrap();
    assert!(v.is_unknown());
    // Number bounds and collection lengths are read.
    let payload = [0x83, 0x03, 0x92, 0x01, 0xc3, 0x05, 0x02, 0x06, 0x04];
    let mut bytes = vec![0xc7, payload.len() as u8, 0x0c];
    bytes.extend_from_slice(&payload);
    let Value::Unknown(r) = decode(&bytes, &Type::list(Type::String)).unwrap() else {
        panic!("unknown")
    };
    assert_eq!((r.length_min, r.length_max), (Some(2), Some(4)));
    assert_eq!(r.number_lower, Some((Number::from_i64(1), true)));
}

#[test]
fn malformed_input_is_an_error_with_a_path() {
    let ty = Type::object([("tags", Type::list(Type::String))]);
    // {"tags": [1]}: a number where a string belongs.
    let bytes = [0x81, 0xa4, b't', b'a', b'g', b's', 0x91, 0x01];
    let e = decode(&bytes, &ty).unwrap_err();
    assert_eq!(e.path.to_string(), "tags[0]");
    // (The reserved marker 0xc1 is read as nil by rmpv; Terraform never sends it.)
    for bad in [
        &[0x92, 0x01][..],
        &[0xa5, b'a'],
        &[0x81, 0x01, 0x02],
        &[0xdc, 0xff, 0xff],
    ] {
        assert!(decode(bad, &ty).is_err(), "{bad:02x?}");
    }
    assert!(
        decode(&[0xc0, 0xc0], &Type::String).is_err(),
        "trailing bytes"
    );
}

fn any_type() -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![
        Just(Type::String),
        Just(Type::Number),
        Just(Type::Bool),
        Just(Type::Dynamic)
    ];
    leaf.prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map("[a-c]", inner.clone(), 0..3).prop_map(Type::Object),
            prop::collection::vec(inner, 0..3).prop_map(Type::Tuple),
        ]
    })
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256), ty in any_type()) {
        let _ = decode(&bytes, &ty);
        let _ = json::decode(&bytes, &ty, ObjectMode::Lenient);
    }

    #[test]
    fn mutated_encodings_never_panic(idx in 0usize..64, byte in any::<u8>(), case in 0usize..24) {
        let all = cases();
        let (_, ty, v) = &all[case % all.len()];
        let mut bytes = encode(v, ty).expect("encode");
        if !bytes.is_empty() {
            let i = idx % bytes.len();
            bytes[i] = byte;
        }
        let _ = decode(&bytes, ty);
    }
}
