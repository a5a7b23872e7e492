//! Reading: msgpack bytes as a value of the expected type, unknowns (and their refinements)
//! included.

use super::{DecodeError, err};
use crate::framework::number::Number;
use crate::framework::path::AttributePath;
use crate::framework::types::Type;
use crate::framework::value::{Refinements, Value};
use rmpv::Value as M;
use std::collections::BTreeMap;

/// Deepest nesting accepted from the wire (protects the stack).
const MAX_DEPTH: usize = 256;
/// go-cty refuses refinement payloads larger than this.
const MAX_REFINEMENT_BYTES: usize = 1024;
const EXT_REFINED_UNKNOWN: i8 = 12;

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
        Type::Map(et) => entries(m, "map", path, |key| Ok((et, path.at_key(key)))).map(Value::Map),
        Type::Object(attrs) => {
            let out = entries(m, "object", path, |key| match attrs.get(key) {
                Some(at) => Ok((at, path.at_attr(key))),
                None => Err(err(path, format!("unsupported attribute {key:?}"))),
            })?;
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

/// The entries of a msgpack map (`what`: a map or an object), each value decoded as the
/// type, at the path, that `entry` gives for its key.
fn entries<'t>(
    m: &M,
    what: &str,
    path: &AttributePath,
    entry: impl Fn(&str) -> Result<(&'t Type, AttributePath), DecodeError>,
) -> Result<BTreeMap<String, Value>, DecodeError> {
    let M::Map(entries) = m else {
        return Err(err(path, format!("expected {what}, got {}", kind(m))));
    };
    let mut out = BTreeMap::new();
    for (k, x) in entries {
        let key = map_key(k, path)?;
        let (ty, at) = entry(&key)?;
        let v = from_msgpack(x, ty, &at)?;
        out.insert(key, v);
    }
    Ok(out)
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
