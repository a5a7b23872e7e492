//! The JSON form of values: how raw state (`UpgradeResourceState.raw_state`)
//! and `DynamicValue.json` are written. JSON has no unknowns. Decoding can be
//! strict (exact attributes) or lenient for state written by an older schema
//! (attributes the current type lacks are dropped, missing ones become null).

use super::msgpack::DecodeError;
use super::number::Number;
use super::path::AttributePath;
use super::types::Type;
use super::value::Value;
use serde_json::Value as J;
use std::collections::BTreeMap;

/// How to treat object attributes that do not match the type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectMode {
    Strict,
    /// Drop extra attributes and fill missing ones with null.
    Lenient,
}

fn err(path: &AttributePath, message: impl Into<String>) -> DecodeError {
    DecodeError {
        path: path.clone(),
        message: message.into(),
    }
}

/// Decodes JSON bytes as a value of type `ty`. Empty input is null.
pub fn decode(bytes: &[u8], ty: &Type, mode: ObjectMode) -> Result<Value, DecodeError> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    let j: J = serde_json::from_slice(bytes)
        .map_err(|e| err(&AttributePath::root(), format!("malformed JSON: {e}")))?;
    from_json(&j, ty, mode, &AttributePath::root())
}

/// Converts a parsed JSON document to a value of type `ty`.
pub fn from_json(
    j: &J,
    ty: &Type,
    mode: ObjectMode,
    path: &AttributePath,
) -> Result<Value, DecodeError> {
    if j.is_null() {
        return Ok(Value::Null);
    }
    match ty {
        Type::String => match j {
            J::String(s) => Ok(Value::String(s.clone())),
            // cty converts primitives to string in state; accept them.
            J::Number(n) => Ok(Value::String(n.to_string())),
            J::Bool(b) => Ok(Value::String(b.to_string())),
            _ => Err(err(path, "expected string")),
        },
        Type::Number => match j {
            J::Number(n) => number(n)
                .map(Value::Number)
                .ok_or_else(|| err(path, "invalid number")),
            J::String(s) => Number::parse(s)
                .map(Value::Number)
                .ok_or_else(|| err(path, "invalid number")),
            _ => Err(err(path, "expected number")),
        },
        Type::Bool => match j {
            J::Bool(b) => Ok(Value::Bool(*b)),
            J::String(s) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
            _ => Err(err(path, "expected bool")),
        },
        Type::List(et) | Type::Set(et) => {
            let J::Array(items) = j else {
                return Err(err(path, "expected array"));
            };
            let vals = items
                .iter()
                .enumerate()
                .map(|(i, x)| from_json(x, et, mode, &path.at_index(i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::Set(_)) {
                Value::Set(vals)
            } else {
                Value::List(vals)
            })
        }
        Type::Map(et) => {
            let J::Object(entries) = j else {
                return Err(err(path, "expected map"));
            };
            let mut out = BTreeMap::new();
            for (k, x) in entries {
                out.insert(k.clone(), from_json(x, et, mode, &path.at_key(k))?);
            }
            Ok(Value::Map(out))
        }
        Type::Object(attrs) => {
            let J::Object(entries) = j else {
                return Err(err(path, "expected object"));
            };
            let mut out = BTreeMap::new();
            for (k, x) in entries {
                match attrs.get(k) {
                    Some(at) => {
                        out.insert(k.clone(), from_json(x, at, mode, &path.at_attr(k))?);
                    }
                    None if mode == ObjectMode::Lenient => {}
                    None => return Err(err(path, format!("unsupported attribute {k:?}"))),
                }
            }
            for k in attrs.keys() {
                if !out.contains_key(k) {
                    if mode == ObjectMode::Strict {
                        return Err(err(path, format!("missing attribute {k:?}")));
                    }
                    out.insert(k.clone(), Value::Null);
                }
            }
            Ok(Value::Object(out))
        }
        Type::Tuple(elems) => {
            let J::Array(items) = j else {
                return Err(err(path, "expected tuple"));
            };
            if items.len() != elems.len() {
                return Err(err(path, "wrong number of tuple elements"));
            }
            let vals = items
                .iter()
                .zip(elems)
                .enumerate()
                .map(|(i, (x, t))| from_json(x, t, mode, &path.at_index(i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Tuple(vals))
        }
        Type::Dynamic => {
            let (Some(t), Some(v)) = (j.get("type"), j.get("value")) else {
                return Err(err(path, "dynamic value must be {\"type\":…, \"value\":…}"));
            };
            let concrete = Type::from_json(t).map_err(|e| err(path, e.to_string()))?;
            let inner = from_json(v, &concrete, mode, path)?;
            Ok(if inner.is_null() {
                inner
            } else {
                Value::Dynamic(Box::new(concrete), Box::new(inner))
            })
        }
    }
}

fn number(n: &serde_json::Number) -> Option<Number> {
    n.as_i64()
        .map(Number::from_i64)
        .or_else(|| n.as_u64().map(Number::from_u64))
        .or_else(|| Number::parse(&n.to_string()))
}

/// Encodes a wholly known value as JSON (unknown values are an error).
pub fn to_json(v: &Value, path: &AttributePath) -> Result<J, DecodeError> {
    Ok(match v {
        Value::Null => J::Null,
        Value::Unknown(_) => return Err(err(path, "unknown values cannot be written as JSON")),
        Value::Bool(b) => J::Bool(*b),
        Value::String(s) => J::String(s.clone()),
        Value::Number(n) => match n.to_i64() {
            Some(i) => J::from(i),
            None => serde_json::from_str::<J>(&n.to_string())
                .ok()
                .filter(J::is_number)
                .unwrap_or_else(|| J::String(n.to_string())),
        },
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => J::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| to_json(x, &path.at_index(i)))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) | Value::Object(m) => J::Object(
            m.iter()
                .map(|(k, x)| Ok((k.clone(), to_json(x, &path.at_attr(k))?)))
                .collect::<Result<_, DecodeError>>()?,
        ),
        Value::Dynamic(t, inner) => {
            serde_json::json!({"type": t.to_json(), "value": to_json(inner, path)?})
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_mode_upgrades_old_state() {
        let ty = Type::object([("id", Type::String), ("description", Type::String)]);
        let v = decode(br#"{"id":"t1","expire":0}"#, &ty, ObjectMode::Lenient).unwrap();
        assert_eq!(
            v,
            Value::object([("id", Value::from("t1")), ("description", Value::Null)])
        );
        assert!(decode(br#"{"id":"t1","expire":0}"#, &ty, ObjectMode::Strict).is_err());
    }
}
