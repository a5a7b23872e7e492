//! Typed objects: one Rust struct per schema object, declared with [`object!`](crate::object),
//! from which its attributes (schema), its cty type, its decoding and its encoding all
//! come. Each attribute name is written once — as the field name — so a typo is a
//! compile error instead of a silent null, and `Debug` never prints an attribute the
//! schema marks sensitive.
//!
//! ```
//! tfplugin::object! {
//!     /// A note.
//!     pub struct Note {
//!         id: Option<String> = computed("The note ID."),
//!         text: String = required("The text."),
//!         secret: Option<String> = optional("A secret.").sensitive(),
//!     }
//! }
//! use tfplugin::framework::object::ToValue;
//! let n = Note { id: None, text: "hi".into(), secret: Some("s3cr3t".into()) };
//! assert_eq!(Note::attributes()[1].name, "text");
//! assert!(!format!("{n:?}").contains("s3cr3t"));
//! let v = n.to_value();
//! assert_eq!(<Note as tfplugin::framework::FromValue>::from_value(&v, &Default::default()).unwrap(), n);
//! ```
//!
//! A macro_rules! rather than a derive: it needs no proc-macro crate (one more crate to
//! compile on every clean build), the declaration reads like the schema it produces, and
//! the generated code is ordinary trait impls a reader can expand in their head.

use super::number::Number;
use super::typed::Attr;
use super::types::Type;
use super::value::Value;
use std::collections::BTreeMap;

/// The cty type a Rust type is encoded as.
pub trait CtyType {
    /// The type.
    fn cty() -> Type;
}

/// Conversion to a cty value (the inverse of [`FromValue`](super::FromValue)).
pub trait ToValue {
    /// The value.
    fn to_value(&self) -> Value;
}

impl CtyType for String {
    fn cty() -> Type {
        Type::String
    }
}
impl CtyType for bool {
    fn cty() -> Type {
        Type::Bool
    }
}
impl CtyType for i64 {
    fn cty() -> Type {
        Type::Number
    }
}
impl CtyType for Number {
    fn cty() -> Type {
        Type::Number
    }
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

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}
impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}
impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::int(*self)
    }
}
impl ToValue for Number {
    fn to_value(&self) -> Value {
        Value::Number(self.clone())
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

/// Declares a typed schema object: a struct whose fields are its attributes, with
/// `attributes()` (the schema's attribute list, in declaration order), [`CtyType`],
/// [`FromValue`](crate::framework::FromValue), [`ToValue`] and a `Debug` that prints
/// `<sensitive>` for attributes marked `.sensitive()`. Each field is
/// `name: RustType = required|optional|computed|optional_computed("description")`,
/// optionally followed by `.sensitive()` and/or `.deprecated()`.
#[macro_export]
macro_rules! object {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $field:ident : $fty:ty = $kind:ident ( $desc:expr ) $( . $modifier:ident () )*
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Default, PartialEq)]
        $vis struct $name {
            $( pub $field: $fty, )*
        }

        impl $name {
            /// The schema attributes, in declaration order.
            pub fn attributes() -> ::std::vec::Vec<$crate::framework::Attribute> {
                ::std::vec![$(
                    $crate::framework::Attribute::$kind(
                        stringify!($field),
                        <$fty as $crate::framework::object::CtyType>::cty(),
                        $desc,
                    ) $( . $modifier () )*
                ),*]
            }
        }

        impl $crate::framework::object::CtyType for $name {
            fn cty() -> $crate::framework::Type {
                $crate::framework::Type::object([$(
                    (stringify!($field), <$fty as $crate::framework::object::CtyType>::cty())
                ),*])
            }
        }

        impl $crate::framework::FromValue for $name {
            fn from_value(
                v: &$crate::framework::Value,
                path: &$crate::framework::AttributePath,
            ) -> ::std::result::Result<Self, $crate::framework::Diagnostic> {
                Ok($name {
                    $( $field: $crate::framework::typed::field(v, path, stringify!($field))?, )*
                })
            }
        }

        impl $crate::framework::object::ToValue for $name {
            fn to_value(&self) -> $crate::framework::Value {
                $crate::framework::Value::object([$(
                    (stringify!($field), $crate::framework::object::ToValue::to_value(&self.$field))
                ),*])
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let attributes = Self::attributes();
                let sensitive = |n: &str| attributes.iter().any(|a| a.name == n && a.sensitive);
                let mut s = f.debug_struct(stringify!($name));
                $(
                    if sensitive(stringify!($field)) {
                        s.field(stringify!($field), &"<sensitive>");
                    } else {
                        s.field(stringify!($field), &self.$field);
                    }
                )*
                s.finish()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{AttributePath, FromValue};

    crate::object! {
        /// A statement.
        struct Rule {
            effect: String = required("allow or deny"),
            actions: Option<Vec<String>> = optional("Actions."),
        }
    }

    crate::object! {
        struct Thing {
            id: Option<String> = computed("ID."),
            count: i64 = optional_computed("Count."),
            labels: BTreeMap<String, String> = optional("Labels."),
            rules: Vec<Rule> = optional("Rules."),
            password: Option<String> = optional("Password.").sensitive(),
            old: Option<bool> = optional("Old.").deprecated(),
        }
    }

    fn sample() -> Thing {
        Thing {
            id: Some("t1".into()),
            count: 3,
            labels: BTreeMap::from([("team".to_string(), "a".to_string())]),
            rules: vec![Rule {
                effect: "allow".into(),
                actions: None,
            }],
            password: Some("hunter2-very-secret".into()),
            old: None,
        }
    }

    #[test]
    fn attributes_come_from_the_fields_in_order_with_flags_and_types() {
        let a = Thing::attributes();
        let names: Vec<&str> = a.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["id", "count", "labels", "rules", "password", "old"]);
        assert!(a[0].computed && !a[0].optional);
        assert!(a[1].computed && a[1].optional);
        assert_eq!(a[2].ty, Type::map(Type::String));
        assert_eq!(a[3].ty, Type::list(Rule::cty()));
        assert!(a[4].sensitive && a[5].deprecated);
        assert_eq!(a[0].description, "ID.");
    }

    #[test]
    fn encode_then_decode_round_trips_and_nulls_stay_null() {
        let t = sample();
        let v = t.to_value();
        assert_eq!(v.get("old"), Some(&Value::Null));
        let rule = &v
            .get("rules")
            .and_then(Value::as_elements)
            .unwrap_or_default()[0];
        assert_eq!(rule.get("actions"), Some(&Value::Null));
        let back = Thing::from_value(&v, &AttributePath::root()).expect("decode");
        assert_eq!(back, t);
    }

    #[test]
    fn decode_errors_carry_the_attribute_path() {
        let mut v = sample().to_value();
        v.set("count", Value::string("three"));
        let e = Thing::from_value(&v, &AttributePath::root()).expect_err("bad count");
        assert_eq!(e.path, Some(AttributePath::attr("count")));
    }

    #[test]
    fn debug_hides_sensitive_attributes() {
        let shown = format!("{:?}", sample());
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("<sensitive>") && shown.contains("t1"),
            "{shown}"
        );
    }
}
