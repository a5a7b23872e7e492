//! cty types: the type system Terraform uses for every value crossing the
//! protocol, and their JSON encoding (`"string"`, `["list","number"]`,
//! `["object",{...}]`), which is what schema `type` bytes carry.

use std::collections::BTreeMap;
use std::fmt;

/// A cty type. Object attribute maps are ordered so encodings are stable.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
    /// cty's `DynamicPseudoType` ("any"): values carry their own type on the wire.
    Dynamic,
}

impl Type {
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }
    pub fn set(t: Type) -> Type {
        Type::Set(Box::new(t))
    }
    pub fn map(t: Type) -> Type {
        Type::Map(Box::new(t))
    }
    pub fn object<I, K>(attrs: I) -> Type
    where
        I: IntoIterator<Item = (K, Type)>,
        K: Into<String>,
    {
        Type::Object(attrs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The compact JSON type encoding Terraform expects in schema `type` bytes.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Type::String => J::from("string"),
            Type::Number => J::from("number"),
            Type::Bool => J::from("bool"),
            Type::Dynamic => J::from("dynamic"),
            Type::List(t) => J::Array(vec![J::from("list"), t.to_json()]),
            Type::Set(t) => J::Array(vec![J::from("set"), t.to_json()]),
            Type::Map(t) => J::Array(vec![J::from("map"), t.to_json()]),
            Type::Object(attrs) => J::Array(vec![
                J::from("object"),
                J::Object(
                    attrs
                        .iter()
                        .map(|(k, v)| (k.clone(), v.to_json()))
                        .collect(),
                ),
            ]),
            Type::Tuple(elems) => J::Array(vec![
                J::from("tuple"),
                J::Array(elems.iter().map(Type::to_json).collect()),
            ]),
        }
    }

    /// Bytes for a schema attribute's `type` field.
    pub fn to_json_bytes(&self) -> Vec<u8> {
        self.to_json().to_string().into_bytes()
    }

    /// Parses the JSON type encoding (used for `dynamic` values on the wire).
    pub fn from_json(j: &serde_json::Value) -> Result<Type, TypeError> {
        use serde_json::Value as J;
        match j {
            J::String(s) => match s.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(TypeError(format!("unknown primitive type {other:?}"))),
            },
            J::Array(parts) if parts.len() >= 2 => {
                let kind = parts[0]
                    .as_str()
                    .ok_or_else(|| TypeError("type kind must be a string".into()))?;
                match kind {
                    "list" => Ok(Type::list(Type::from_json(&parts[1])?)),
                    "set" => Ok(Type::set(Type::from_json(&parts[1])?)),
                    "map" => Ok(Type::map(Type::from_json(&parts[1])?)),
                    "object" => {
                        let attrs = parts[1]
                            .as_object()
                            .ok_or_else(|| TypeError("object attributes must be a map".into()))?;
                        let mut out = BTreeMap::new();
                        for (k, v) in attrs {
                            out.insert(k.clone(), Type::from_json(v)?);
                        }
                        Ok(Type::Object(out))
                    }
                    "tuple" => {
                        let elems = parts[1]
                            .as_array()
                            .ok_or_else(|| TypeError("tuple elements must be a list".into()))?;
                        Ok(Type::Tuple(
                            elems
                                .iter()
                                .map(Type::from_json)
                                .collect::<Result<_, _>>()?,
                        ))
                    }
                    other => Err(TypeError(format!("unknown type kind {other:?}"))),
                }
            }
            other => Err(TypeError(format!("invalid type encoding {other}"))),
        }
    }

    /// The element type of a list, set or map.
    pub fn element(&self) -> Option<&Type> {
        match self {
            Type::List(t) | Type::Set(t) | Type::Map(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

/// An invalid type encoding.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid cty type: {0}")]
pub struct TypeError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_encoding_round_trips() {
        let cases: Vec<(&str, Type)> = vec![
            ("string", Type::String),
            ("list of number", Type::list(Type::Number)),
            ("set of map of bool", Type::set(Type::map(Type::Bool))),
            (
                "object",
                Type::object([("a", Type::String), ("b", Type::list(Type::Number))]),
            ),
            ("tuple", Type::Tuple(vec![Type::String, Type::Dynamic])),
        ];
        for (name, t) in cases {
            let back = Type::from_json(&t.to_json()).expect(name);
            assert_eq!(back, t, "{name}");
        }
        assert_eq!(
            String::from_utf8(
                Type::object([("b", Type::list(Type::Number)), ("a", Type::String)])
                    .to_json_bytes()
            )
            .unwrap(),
            r#"["object",{"a":"string","b":["list","number"]}]"#
        );
    }

    #[test]
    fn rejects_bad_encodings() {
        for bad in [r#""strin""#, r#"["list"]"#, r#"["nope","string"]"#, "42"] {
            let j: serde_json::Value = serde_json::from_str(bad).unwrap();
            assert!(Type::from_json(&j).is_err(), "{bad}");
        }
    }
}
