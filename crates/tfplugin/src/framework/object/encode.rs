//! How Rust types map to cty: [`CtyType`] (the type) and [`ToValue`] (the encoding; the
//! decoding is [`FromValue`]), for the primitives, `Option`, [`Attr`], `Vec` (a list),
//! [`Set`] (a set) and string-keyed maps.

use crate::framework::diagnostics::Diagnostic;
use crate::framework::number::Number;
use crate::framework::path::AttributePath;
use crate::framework::typed::{Attr, FromValue};
use crate::framework::types::Type;
use crate::framework::value::Value;
use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

/// The cty type a Rust type is encoded as.
pub trait CtyType {
    /// The type.
    fn cty() -> Type;
}

/// Conversion to a cty value (the inverse of [`FromValue`]).
pub trait ToValue {
    /// The value.
    fn to_value(&self) -> Value;
}

/// The primitives: the cty type of each, and how its value is built.
macro_rules! primitives {
    ($($t:ty: $cty:ident, |$v:ident| $to_value:expr;)*) => {$(
        impl CtyType for $t {
            fn cty() -> Type {
                Type::$cty
            }
        }
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                let $v = self;
                $to_value
            }
        }
    )*};
}

primitives! {
    String: String, |s| Value::String(s.clone());
    bool: Bool, |b| Value::Bool(*b);
    i64: Number, |i| Value::int(*i);
    Number: Number, |n| Value::Number(n.clone());
}

impl<T: CtyType> CtyType for Option<T> {
    fn cty() -> Type {
        T::cty()
    }
}
impl<T: CtyType> CtyType for Attr<T> {
    fn cty() -> Type {
        T::cty()
    }
}
impl<T: CtyType> CtyType for Vec<T> {
    fn cty() -> Type {
        Type::list(T::cty())
    }
}
impl<T: CtyType> CtyType for BTreeMap<String, T> {
    fn cty() -> Type {
        Type::map(T::cty())
    }
}

/// `None` is null.
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_value)
    }
}
impl<T: ToValue> ToValue for Attr<T> {
    fn to_value(&self) -> Value {
        match self {
            Attr::Null => Value::Null,
            Attr::Unknown => Value::unknown(),
            Attr::Known(t) => t.to_value(),
        }
    }
}
/// A list (an empty `Vec` is an empty list; use `Option<Vec<_>>` for null).
impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(T::to_value).collect())
    }
}
impl<T: ToValue> ToValue for BTreeMap<String, T> {
    fn to_value(&self) -> Value {
        Value::Map(
            self.iter()
                .map(|(k, v)| (k.clone(), v.to_value()))
                .collect(),
        )
    }
}

/// A cty set, kept as a `Vec` in the order it was built or decoded (duplicates and order
/// are the caller's business; Terraform compares sets by content). Dereferences to the
/// `Vec`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Set<T>(pub Vec<T>);

impl<T> Deref for Set<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}
impl<T> DerefMut for Set<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}
impl<T> From<Vec<T>> for Set<T> {
    fn from(v: Vec<T>) -> Set<T> {
        Set(v)
    }
}
impl<T> FromIterator<T> for Set<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Set<T> {
        Set(iter.into_iter().collect())
    }
}
impl<'a, T> IntoIterator for &'a Set<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
impl<T> IntoIterator for Set<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
impl<T: CtyType> CtyType for Set<T> {
    fn cty() -> Type {
        Type::set(T::cty())
    }
}
impl<T: ToValue> ToValue for Set<T> {
    fn to_value(&self) -> Value {
        Value::Set(self.iter().map(T::to_value).collect())
    }
}
/// A set (or a list: both are collections of elements).
impl<T: FromValue> FromValue for Set<T> {
    fn from_value(v: &Value, path: &AttributePath) -> Result<Self, Diagnostic> {
        Vec::<T>::from_value(v, path).map(Set)
    }
}
