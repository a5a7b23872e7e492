//! The msgpack wire format of `DynamicValue`, exactly as Terraform (go-cty)
//! writes and reads it: values are encoded against a known type; null is
//! `nil`; unknown is extension 0 (`d4 00 00`); refined unknowns arrive as
//! extension 12 and are read, never written; numbers are int, float64 or a
//! decimal string; `dynamic` values are `[json type, value]` pairs; objects
//! carry exactly one entry per attribute.

use super::number::Number;
use super::path::AttributePath;
use super::types::Type;
use super::value::{Refinements, Value};
use rmpv::Value as M;
use std::collections::BTreeMap;

/// Deepest nesting accepted from the wire (protects the stack).
const MAX_DEPTH: usize = 256;
/// go-cty refuses refinement payloads larger than this.
const MAX_REFINEMENT_BYTES: usize = 1024;
const EXT_REFINED_UNKNOWN: i8 = 12;

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

/// Decodes msgpack bytes as a value of type `ty`. Empty input is null.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, DecodeError> {
    let root = AttributePath::root();
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    let mut rd = bytes;
    let m = rmpv::decode::read_value_with_max_depth(&mut rd, MAX_DEPTH)
        .map_err(|e| err(&root, format!("malformed msgpack: {e}")))?;
    if !rd.is_empty() {
        return Err(err(
            &root,
            format!("{} trailing bytes after the value", rd.len()),
        ));
    }
    from_msgpack(&m, ty, &root)
}

/// Encodes `v` as msgpack against type `ty`.
pub fn encode(v: &Value, ty: &Type) -> Result<Vec<u8>, DecodeError> {
    let m = to_msgpack(v, ty, &AttributePath::root())?;
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, &m)
        .map_err(|e| err(&AttributePath::root(), e.to_string()))?;
    Ok(out)
}

fn from_msgpack(m: &M, ty: &Type, path: &AttributePath) -> Result<Value, DecodeError> {
    match m {
        M::Nil => return Ok(Value::Null),
        M::Ext(code, data) => return decode_unknown(*code, data, path),
        _ => {}
    }
    match ty {
        Type::String => match m {
            M::String(s) => s
                .as_str()
                .map(Value::string)
                .ok_or_else(|| err(path, "string is not valid UTF-8")),
            M::Binary(b) => String::from_utf8(b.clone())
                .map(Value::String)
                .map_err(|_| err(path, "string is not valid UTF-8")),
            other => Err(err(path, format!("expected string, got {}", kind(other)))),
        },
        Type::Number => decode_number(m, path).map(Value::Number),
        Type::Bool => match m {
            M::Boolean(b) => Ok(Value::Bool(*b)),
            other => Err(err(path, format!("expected bool, got {}", kind(other)))),
        },
        Type::List(et) | Type::Set(et) => {
            let M::Array(items) = m else {
                return Err(err(path, format!("expected array, got {}", kind(m))));
            };
            let vals = items
                .iter()
                .enumerate()
                .map(|(i, x)| from_msgpack(x, et, &path.at_index(i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::Set(_)) {
                Value::Set(vals)
            } else {
                Value::List(vals)
            })
        }
        Type::Map(et) => {
            let M::Map(entries) = m else {
                return Err(err(path, format!("expected map, got {}", kind(m))));
            };
            let mut out = BTreeMap::new();
            for (k, x) in entries {
                let key = map_key(k, path)?;
                let v = from_msgpack(x, et, &path.at_key(&key))?;
                out.insert(key, v);
            }
            Ok(Value::Map(out))
        }
        Type::Object(attrs) => {
            let M::Map(entries) = m else {
                return Err(err(path, format!("expected object, got {}", kind(m))));
            };
            let mut out = BTreeMap::new();
            for (k, x) in entries {
                let key = map_key(k, path)?;
                let Some(at) = attrs.get(&key) else {
                    return Err(err(path, format!("unsupported attribute {key:?}")));
                };
                let v = from_msgpack(x, at, &path.at_attr(&key))?;
                out.insert(key, v);
            }
            if let Some(missing) = attrs.keys().find(|k| !out.contains_key(*k)) {
                return Err(err(path, format!("missing attribute {missing:?}")));
            }
            Ok(Value::Object(out))
        }
        Type::Tuple(elems) => {
            let M::Array(items) = m else {
                return Err(err(path, format!("expected tuple, got {}", kind(m))));
            };
            if items.len() != elems.len() {
                return Err(err(
                    path,
                    format!("tuple needs {} elements, got {}", elems.len(), items.len()),
                ));
            }
            let vals = items
                .iter()
                .zip(elems)
                .enumerate()
                .map(|(i, (x, t))| from_msgpack(x, t, &path.at_index(i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Tuple(vals))
        }
        Type::Dynamic => {
            let M::Array(pair) = m else {
                return Err(err(
                    path,
                    format!("expected [type, value] for dynamic, got {}", kind(m)),
                ));
            };
            let [t, v] = pair.as_slice() else {
                return Err(err(path, "dynamic value must be a two-element array"));
            };
            let type_bytes: &[u8] = match t {
                M::Binary(b) => b,
                M::String(s) => s.as_bytes(),
                other => {
                    return Err(err(
                        path,
                        format!("dynamic type must be bytes, got {}", kind(other)),
                    ));
                }
            };
            let tj: serde_json::Value = serde_json::from_slice(type_bytes)
                .map_err(|e| err(path, format!("dynamic type JSON: {e}")))?;
            let concrete = Type::from_json(&tj).map_err(|e| err(path, e.to_string()))?;
            if concrete == Type::Dynamic {
                return Err(err(path, "dynamic value cannot have type dynamic"));
            }
            let inner = from_msgpack(v, &concrete, path)?;
            Ok(match inner {
                Value::Null | Value::Unknown(_) => inner,
                known => Value::Dynamic(Box::new(concrete), Box::new(known)),
            })
        }
    }
}

fn map_key(k: &M, path: &AttributePath) -> Result<String, DecodeError> {
    match k {
        M::String(s) => s
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| err(path, "map key is not UTF-8")),
        other => Err(err(
            path,
            format!("map key must be a string, got {}", kind(other)),
        )),
    }
}

fn decode_number(m: &M, path: &AttributePath) -> Result<Number, DecodeError> {
    match m {
        M::Integer(i) => {
            if let Some(v) = i.as_i64() {
                Ok(Number::from_i64(v))
            } else if let Some(v) = i.as_u64() {
                Ok(Number::from_u64(v))
            } else {
                Err(err(path, "integer out of range"))
            }
        }
        M::F32(f) => {
            Number::from_f64(f64::from(*f)).ok_or_else(|| err(path, "NaN is not a number"))
        }
        M::F64(f) => Number::from_f64(*f).ok_or_else(|| err(path, "NaN is not a number")),
        M::String(s) => s
            .as_str()
            .and_then(Number::parse)
            .ok_or_else(|| err(path, "string is not a decimal number")),
        other => Err(err(path, format!("expected number, got {}", kind(other)))),
    }
}

fn decode_unknown(code: i8, data: &[u8], path: &AttributePath) -> Result<Value, DecodeError> {
    // go-cty: any extension of length ≤ 1 is a plain unknown, whatever its code.
    if data.len() <= 1 {
        return Ok(Value::unknown());
    }
    if code != EXT_REFINED_UNKNOWN {
        return Err(err(
            path,
            format!("unsupported msgpack extension type {code}"),
        ));
    }
    if data.len() > MAX_REFINEMENT_BYTES {
        return Err(err(path, "unknown value refinements are too long"));
    }
    let mut rd = data;
    let m = rmpv::decode::read_value_with_max_depth(&mut rd, 8)
        .map_err(|e| err(path, format!("malformed unknown value refinements: {e}")))?;
    let M::Map(entries) = m else {
        return Err(err(path, "unknown value refinements must be a map"));
    };
    let mut r = Refinements::default();
    for (k, v) in &entries {
        // Unknown keys and ill-typed entries are ignored: refinements are
        // optional knowledge, never a reason to fail.
        match (k.as_i64(), v) {
            (Some(1), M::Boolean(b)) => r.nullable = Some(*b),
            (Some(2), M::String(s)) => r.string_prefix = s.as_str().map(str::to_string),
            (Some(3), M::Array(b)) => r.number_lower = bound(b),
            (Some(4), M::Array(b)) => r.number_upper = bound(b),
            (Some(5), x) => r.length_min = x.as_i64(),
            (Some(6), x) => r.length_max = x.as_i64(),
            _ => {}
        }
    }
    Ok(Value::Unknown(r))
}

fn bound(b: &[M]) -> Option<(Number, bool)> {
    match b {
        [n, M::Boolean(incl)] => decode_number(n, &AttributePath::root())
            .ok()
            .map(|n| (n, *incl)),
        _ => None,
    }
}

fn kind(m: &M) -> &'static str {
    match m {
        M::Nil => "null",
        M::Boolean(_) => "bool",
        M::Integer(_) | M::F32(_) | M::F64(_) => "number",
        M::String(_) => "string",
        M::Binary(_) => "bytes",
        M::Array(_) => "array",
        M::Map(_) => "map",
        M::Ext(..) => "extension",
    }
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
