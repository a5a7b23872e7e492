//! Typed objects: one Rust struct per schema object, declared with [`object!`](crate::object),
//! from which its attributes and nested blocks (schema), its cty type, its decoding and its
//! encoding all come. Each attribute name is written once — as the field name — so a typo
//! is a compile error instead of a silent null, and `Debug` never prints an attribute the
//! schema marks sensitive.
//!
//! ```
//! tfplugin::object! {
//!     /// A rule.
//!     pub struct Rule {
//!         effect: String = required("allow or deny"),
//!     }
//! }
//! tfplugin::object! {
//!     /// A note.
//!     pub struct Note {
//!         id: Option<String> = computed("The note ID."),
//!         text: String = required("The text."),
//!         secret: Option<String> = optional("A secret.").sensitive(),
//!         rule: Vec<Rule> = list_block("Rules."),
//!     }
//! }
//! use tfplugin::framework::object::ToValue;
//! let n = Note { id: None, text: "hi".into(), secret: Some("s3cr3t".into()), rule: vec![] };
//! assert_eq!(Note::attributes()[1].name, "text");
//! assert_eq!(Note::blocks()[0].type_name, Note::rule);
//! assert!(!format!("{n:?}").contains("s3cr3t"));
//! let v = n.to_value();
//! assert_eq!(<Note as tfplugin::framework::FromValue>::from_value(&v, &Default::default()).unwrap(), n);
//! ```
//!
//! A macro_rules! rather than a derive: it needs no proc-macro crate (one more crate to
//! compile on every clean build), the declaration reads like the schema it produces, and
//! the generated code is ordinary trait impls a reader can expand in their head.

mod encode;
pub mod kind;
#[cfg(test)]
mod tests;

pub use encode::{CtyType, Set, ToValue};

use super::schema::{Attribute, Block, NestedBlock};
use super::typed::FromValue;

/// A struct declared with [`object!`](crate::object): its schema block, type and codecs.
pub trait Object: CtyType + FromValue + ToValue {
    /// Its attributes and nested blocks (the description is the user's: empty here).
    fn block() -> Block;
}

/// One field of an object as the schema sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Member {
    Attribute(Attribute),
    Block(NestedBlock),
}

impl From<Attribute> for Member {
    fn from(a: Attribute) -> Member {
        Member::Attribute(a)
    }
}
impl From<NestedBlock> for Member {
    fn from(b: NestedBlock) -> Member {
        Member::Block(b)
    }
}

impl Member {
    /// The attributes among `members`, in order.
    pub fn attributes(members: Vec<Member>) -> Vec<Attribute> {
        members
            .into_iter()
            .filter_map(|m| match m {
                Member::Attribute(a) => Some(a),
                Member::Block(_) => None,
            })
            .collect()
    }
    /// The nested blocks among `members`, in order.
    pub fn blocks(members: Vec<Member>) -> Vec<NestedBlock> {
        members
            .into_iter()
            .filter_map(|m| match m {
                Member::Block(b) => Some(b),
                Member::Attribute(_) => None,
            })
            .collect()
    }
}

/// Declares a typed schema object: a struct whose fields are its attributes and nested
/// blocks, with
/// - `attributes()` and `blocks()` (the schema, in declaration order) and [`Object::block`];
/// - one associated `const` per field holding its name (`Thing::count == "count"`), for the
///   places that must name an attribute: attribute paths in diagnostics, raw values that
///   may still be unknown (validation, planning);
/// - [`CtyType`], [`FromValue`](crate::framework::FromValue), [`ToValue`], and a `Debug`
///   that prints `<sensitive>` for attributes marked `.sensitive()`.
///
/// Each field is `name: RustType = kind("description")`, the kind one of
/// [`required`](kind::required), [`optional`](kind::optional), [`computed`](kind::computed),
/// [`optional_computed`](kind::optional_computed) (attributes, optionally followed by
/// `.sensitive()`, `.deprecated()` or `.deprecated_because("why")`) or
/// [`list_block`](kind::list_block) (a `Vec` of another object, optionally
/// `.deprecated_because("why")`). A field may not be named `attributes`, `blocks` or
/// `members` (the generated functions).
#[macro_export]
macro_rules! object {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $field:ident : $fty:ty = $kind:ident ( $desc:expr )
                    $( . $modifier:ident ( $( $marg:expr ),* ) )*
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Default, PartialEq)]
        $vis struct $name {
            $( $(#[$fmeta])* pub $field: $fty, )*
        }

        #[allow(non_upper_case_globals, dead_code)]
        impl $name {
            $(
                #[doc = concat!("The name of `", stringify!($field), "`.")]
                pub const $field: &'static str = stringify!($field);
            )*

            fn members() -> ::std::vec::Vec<$crate::framework::object::Member> {
                ::std::vec![$(
                    $crate::framework::object::Member::from(
                        $crate::framework::object::kind::$kind::build::<$fty>(stringify!($field), $desc)
                            $( . $modifier ( $( $marg ),* ) )*
                    )
                ),*]
            }

            /// The schema attributes, in declaration order.
            pub fn attributes() -> ::std::vec::Vec<$crate::framework::Attribute> {
                $crate::framework::object::Member::attributes(Self::members())
            }

            /// The nested blocks, in declaration order.
            pub fn blocks() -> ::std::vec::Vec<$crate::framework::NestedBlock> {
                $crate::framework::object::Member::blocks(Self::members())
            }
        }

        impl $crate::framework::object::Object for $name {
            fn block() -> $crate::framework::Block {
                $crate::framework::Block {
                    attributes: Self::attributes(),
                    blocks: Self::blocks(),
                    ..::std::default::Default::default()
                }
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
                    $( $field: $crate::framework::object::kind::$kind::decode::<$fty>(v, path, stringify!($field))?, )*
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
