//! Typed decoding of dynamic values. `Attr<T>` is the tri-state every
//! configuration attribute really has (null, unknown, known); `FromValue`
//! converts a `Value` into Rust types and reports the attribute path when the
//! shape is wrong. Resources read config and state through these, once, at
//! the boundary.

use super::diagnostics::Diagnostic;
use super::number::Number;
use super::path::AttributePath;
use super::value::Value;
use std::collections::BTreeMap;

/// A configuration value that may be null or not yet known.
/// Null is the default; unknown cannot be mistaken for a value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Attr<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Attr<T> {
    pub fn is_null(&self) -> bool {
        matches!(self, Attr::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }
    pub fn known(&self) -> Option<&T> {
        match self {
            Attr::Known(t) => Some(t),
            _ => None,
        }
    }
    pub fn into_known(self) -> Option<T> {
        match self {
            Attr::Known(t) => Some(t),
            _ => None,
        }
    }
}

/// Conversion from a (non-null, known) cty value.
pub trait FromValue: Sized {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, Diagnostic>;
}

fn wrong(path: &AttributePath, want: &str) -> Diagnostic {
    Diagnostic::error(
        "Unexpected value type",
        format!("Expected {want} at {path}."),
    )
    .at(path.clone())
}

impl FromValue for String {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, Diagnostic> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| wrong(path, "a string"))
    }
}
impl FromValue for bool {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, Diagnostic> {
        v.as_bool().ok_or_else(|| wrong(path, "a bool"))
    }
}
impl FromValue for Number {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, Diagnostic> {
        v.as_number()
            .cloned()
            .ok_or_else(|| wrong(path, "a number"))
    }
}
impl FromValue for i64 {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, Diagnostic> {
        let n = v.as_number().ok_or_else(|| wrong(path, "a number"))?;
        n.to_i64().ok_or_else(|| {
            Diagnostic::error(
                "Invalid number",
                format!("{n} is not a whole number in the 64-bit range."),
            )
            .at(path.clone())
        })
    }
}
impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, Diagnostic> {
        let items = v
            .as_elements()
            .ok_or_else(|| wrong(path, "a list or set"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, x)| T::from_value(x, &path.at_index(i)))
            .collect()
    }
}
impl<T: FromValue> FromValue for BTreeMap<String, T> {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, Diagnostic> {
        let m = v.as_entries().ok_or_else(|| wrong(path, "a map"))?;
        m.iter()
            .map(|(k, x)| Ok((k.clone(), T::from_value(x, &path.at_key(k))?)))
            .collect()
    }
}
impl<T: FromValue> FromValue for Attr<T> {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, Diagnostic> {
        match v {
            Value::Null => Ok(Attr::Null),
            Value::Unknown(_) => Ok(Attr::Unknown),
            other => T::from_value(other, path).map(Attr::Known),
        }
    }
}
/// `Option<T>`: null is `None`; unknown is an error (use `Attr` where unknown is legal).
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, Diagnostic> {
        match v {
            Value::Null => Ok(None),
            Value::Unknown(_) => Err(Diagnostic::error(
                "Value not yet known",
                format!("{path} must be known at this point."),
            )
            .at(path.clone())),
            other => T::from_value(other, path).map(Some),
        }
    }
}

/// Reads attribute `name` of object `obj` (below `base`) as `T`.
pub fn field<T: FromValue>(obj: &Value, base: &AttributePath, name: &str) -> Result<T, Diagnostic> {
    let path = base.at_attr(name);
    T::from_value(obj.get(name).unwrap_or(&Value::Null), &path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tri_state_and_paths() {
        let obj = Value::object([
            ("a", Value::from("x")),
            ("b", Value::unknown()),
            ("c", Value::Null),
            ("n", Value::from("not a number")),
        ]);
        let root = AttributePath::root();
        assert_eq!(
            field::<Attr<String>>(&obj, &root, "a").unwrap(),
            Attr::Known("x".into())
        );
        assert_eq!(
            field::<Attr<String>>(&obj, &root, "b").unwrap(),
            Attr::Unknown
        );
        assert_eq!(field::<Attr<String>>(&obj, &root, "c").unwrap(), Attr::Null);
        assert!(field::<Option<String>>(&obj, &root, "b").is_err());
        let e = field::<Attr<i64>>(&obj, &root, "n").unwrap_err();
        assert_eq!(e.path, Some(AttributePath::attr("n")));
    }
}
