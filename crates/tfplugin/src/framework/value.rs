//! Dynamic cty values: what a decoded `DynamicValue` holds before a resource
//! reads it into typed fields. Every value may be null or unknown; unknown
//! values keep the refinements Terraform sent (read, never required).

use super::number::Number;
use super::types::Type;
use std::collections::BTreeMap;
use std::fmt;

/// What Terraform promised about an unknown value (msgpack ext 12).
/// All fields are optional; anything we do not understand is ignored.
#[derive(Clone, Default, PartialEq)]
pub struct Refinements {
    /// `Some(false)`: definitely not null.
    pub nullable: Option<bool>,
    pub string_prefix: Option<String>,
    pub number_lower: Option<(Number, bool)>,
    pub number_upper: Option<(Number, bool)>,
    pub length_min: Option<i64>,
    pub length_max: Option<i64>,
}

/// A cty value. `Debug` prints its shape, never its contents (see below).
#[derive(Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Unknown(Refinements),
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
    /// A known, non-null value of an attribute typed `dynamic`, carrying its
    /// concrete type (needed to encode it back).
    Dynamic(Box<Type>, Box<Value>),
}

impl Value {
    pub fn unknown() -> Value {
        Value::Unknown(Refinements::default())
    }
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }
    pub fn int(i: i64) -> Value {
        Value::Number(Number::from_i64(i))
    }
    pub fn object<I, K>(attrs: I) -> Value
    where
        I: IntoIterator<Item = (K, Value)>,
        K: Into<String>,
    {
        Value::Object(attrs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }
    /// True when neither this value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
                v.iter().all(Value::is_wholly_known)
            }
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
            Value::Dynamic(_, v) => v.is_wholly_known(),
            _ => true,
        }
    }

    /// An object attribute (`None` when this is not an object or lacks it).
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(name),
            _ => None,
        }
    }
    /// An object attribute, null when absent (or when this is not an object).
    pub fn get_or_null(&self, name: &str) -> &Value {
        self.get(name).unwrap_or(&Value::Null)
    }
    /// A mutable object attribute.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        match self {
            Value::Object(m) => m.get_mut(name),
            _ => None,
        }
    }
    /// Sets an object attribute; no-op when this is not an object.
    pub fn set(&mut self, name: &str, v: Value) {
        if let Value::Object(m) = self {
            m.insert(name.to_string(), v);
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    /// Elements of a list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => Some(v),
            _ => None,
        }
    }
    /// Entries of a map or object.
    pub fn as_entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// A null value of `ty`'s shape: objects get every attribute present and
    /// null, which is what Terraform requires for "all attributes present".
    pub fn null_object_of(ty: &Type) -> Value {
        match ty {
            Type::Object(attrs) => {
                Value::Object(attrs.keys().map(|k| (k.clone(), Value::Null)).collect())
            }
            _ => Value::Null,
        }
    }

    /// Equality that ignores set element order (cty sets are unordered).
    pub fn semantically_equal(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Set(a), Value::Set(b)) => {
                a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| x.semantically_equal(y)))
            }
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.semantically_equal(y))
            }
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, x)| b.get(k).is_some_and(|y| x.semantically_equal(y)))
            }
            (Value::Unknown(_), Value::Unknown(_)) => true,
            _ => self == other,
        }
    }
}

/// Shape only, never contents: a `Value` does not know its schema, so it cannot tell a
/// secret from a name. Strings print as their length, numbers as `Number(..)`, map keys are
/// left out; structure, object attribute names, bools, null and unknown print as they are.
/// To see contents, use [`Value::redacted`] with the schema: it hides exactly what the
/// schema marks sensitive.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Unknown(r) => f.debug_tuple("Unknown").field(r).finish(),
            Value::Bool(b) => f.debug_tuple("Bool").field(b).finish(),
            Value::Number(_) => f.write_str("Number(..)"),
            Value::String(s) => write!(f, "String(<{} chars>)", s.chars().count()),
            Value::List(v) => f.debug_tuple("List").field(v).finish(),
            Value::Set(v) => f.debug_tuple("Set").field(v).finish(),
            Value::Tuple(v) => f.debug_tuple("Tuple").field(v).finish(),
            Value::Map(m) => f
                .debug_tuple("Map")
                .field(&m.values().collect::<Vec<_>>())
                .finish(),
            Value::Object(m) => {
                f.write_str("Object")?;
                f.debug_map().entries(m).finish()
            }
            Value::Dynamic(t, v) => f.debug_tuple("Dynamic").field(t).field(v).finish(),
        }
    }
}

/// Like [`Value`]'s: which refinements exist, never a prefix or a bound.
impl fmt::Debug for Refinements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = |present: bool| if present { Some("..") } else { None };
        f.debug_struct("Refinements")
            .field("nullable", &self.nullable)
            .field("string_prefix", &hidden(self.string_prefix.is_some()))
            .field("number_lower", &hidden(self.number_lower.is_some()))
            .field("number_upper", &hidden(self.number_upper.is_some()))
            .field("length_min", &self.length_min)
            .field("length_max", &self.length_max)
            .finish()
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::int(i)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Value {
        o.map(Into::into).unwrap_or(Value::Null)
    }
}
