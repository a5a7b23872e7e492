//! The msgpack wire format of `DynamicValue`, exactly as Terraform (go-cty)
//! writes and reads it: values are encoded against a known type; null is
//! `nil`; unknown is extension 0 (`d4 00 00`); refined unknowns arrive as
//! extension 12 and are read, never written; numbers are int, float64 or a
//! decimal string; `dynamic` values are `[json type, value]` pairs; objects
//! carry exactly one entry per attribute.

mod decode;

pub use decode::decode;

use super::number::Number;
use super::path::AttributePath;
use super::types::Type;
use super::value::Value;
use rmpv::Value as M;

/// Why bytes could not be decoded as a value of the expected type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message} (at {path})")]
pub struct DecodeError {
    pub path: AttributePath,
    pub message: String,
}

fn err(path: &AttributePath, message: impl Into<String>) -> DecodeError {
    DecodeError {
        path: path.clone(),
        message: message.into(),
    }
}

/// Encodes `v` as msgpack against type `ty`.
pub fn encode(v: &Value, ty: &Type) -> Result<Vec<u8>, DecodeError> {
    let m = to_msgpack(v, ty, &AttributePath::root())?;
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, &m)
        .map_err(|e| err(&AttributePath::root(), e.to_string()))?;
    Ok(out)
}

fn to_msgpack(v: &Value, ty: &Type, path: &AttributePath) -> Result<M, DecodeError> {
    let mismatch = || err(path, format!("value does not conform to type {ty}"));
    Ok(match (v, ty) {
        (Value::Null, _) => M::Nil,
        (Value::Unknown(_), _) => M::Ext(0, vec![0]),
        (Value::String(s), Type::String) => M::String(s.as_str().into()),
        (Value::Bool(b), Type::Bool) => M::Boolean(*b),
        (Value::Number(n), Type::Number) => encode_number(n),
        (Value::List(items), Type::List(et)) | (Value::Set(items), Type::Set(et)) => M::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| to_msgpack(x, et, &path.at_index(i)))
                .collect::<Result<_, _>>()?,
        ),
        (Value::Map(entries), Type::Map(et)) => M::Map(
            entries
                .iter()
                .map(|(k, x)| {
                    Ok((
                        M::String(k.as_str().into()),
                        to_msgpack(x, et, &path.at_key(k))?,
                    ))
                })
                .collect::<Result<_, DecodeError>>()?,
        ),
        (Value::Object(entries), Type::Object(attrs)) => {
            let mut out = Vec::with_capacity(attrs.len());
            for (name, at) in attrs {
                // Terraform needs every attribute present; absent means null.
                let x = entries.get(name).unwrap_or(&Value::Null);
                out.push((
                    M::String(name.as_str().into()),
                    to_msgpack(x, at, &path.at_attr(name))?,
                ));
            }
            if let Some(extra) = entries.keys().find(|k| !attrs.contains_key(*k)) {
                return Err(err(
                    path,
                    format!("value has attribute {extra:?} that the type lacks"),
                ));
            }
            M::Map(out)
        }
        (Value::Tuple(items), Type::Tuple(elems)) if items.len() == elems.len() => M::Array(
            items
                .iter()
                .zip(elems)
                .enumerate()
                .map(|(i, (x, t))| to_msgpack(x, t, &path.at_index(i)))
                .collect::<Result<_, _>>()?,
        ),
        (Value::Dynamic(t, inner), Type::Dynamic) => M::Array(vec![
            M::Binary(t.to_json_bytes()),
            to_msgpack(inner, t, path)?,
        ]),
        (Value::Dynamic(_, inner), _) => to_msgpack(inner, ty, path)?,
        _ => return Err(mismatch()),
    })
}

fn encode_number(n: &Number) -> M {
    if let Some(i) = n.to_i64() {
        return M::Integer(i.into());
    }
    if let Some(f) = n.to_f64_exact() {
        return M::F64(f);
    }
    M::String(n.to_string().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter()
            .map(|x| format!("{x:02x}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn matches_go_cty_bytes() {
        let ty = Type::object([
            ("id", Type::String),
            ("name", Type::String),
            ("tags", Type::map(Type::String)),
        ]);
        let v = Value::object([
            ("id", Value::unknown()),
            ("name", "alpha".into()),
            ("tags", Value::Null),
        ]);
        assert_eq!(
            hex(&encode(&v, &ty).unwrap()),
            "83 a2 69 64 d4 00 00 a4 6e 61 6d 65 a5 61 6c 70 68 61 a4 74 61 67 73 c0"
        );
        let d = Value::Dynamic(Box::new(Type::String), Box::new("hello".into()));
        assert_eq!(
            hex(&encode(&d, &Type::Dynamic).unwrap()),
            "92 c4 08 22 73 74 72 69 6e 67 22 a5 68 65 6c 6c 6f"
        );
    }

    #[test]
    fn reads_refined_unknown_from_terraform() {
        let bytes = [
            0xc7, 0x09, 0x0c, 0x82, 0x01, 0xc2, 0x02, 0xa4, b'p', b'r', b'e', b'-',
        ];
        let v = decode(&bytes, &Type::String).unwrap();
        let Value::Unknown(r) = v else {
            panic!("expected unknown, got {v:?}")
        };
        assert_eq!(r.nullable, Some(false));
        assert_eq!(r.string_prefix.as_deref(), Some("pre-"));
    }

    #[test]
    fn object_must_have_exact_attributes() {
        let ty = Type::object([("a", Type::String), ("b", Type::String)]);
        let one = encode(
            &Value::object([("a", Value::from("x"))]),
            &Type::object([("a", Type::String)]),
        )
        .unwrap();
        let e = decode(&one, &ty).unwrap_err();
        assert!(e.message.contains("missing attribute \"b\""), "{e}");
    }
}
