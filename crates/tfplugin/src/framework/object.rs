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

/// What one field of an object adds to its schema block: an attribute or a nested block.
pub trait Member {
    /// Adds it to `block`, after the members before it.
    fn add_to(self, block: &mut Block);
}

impl Member for Attribute {
    fn add_to(self, block: &mut Block) {
        block.attributes.push(self);
    }
}

impl Member for NestedBlock {
    fn add_to(self, block: &mut Block) {
        block.blocks.push(self);
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
/// `.deprecated_because("why")`). A field may not be named `attributes` or `blocks` (the
/// generated functions).
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

            /// The schema attributes, in declaration order.
            pub fn attributes() -> ::std::vec::Vec<$crate::framework::Attribute> {
                <Self as $crate::framework::object::Object>::block().attributes
            }

            /// The nested blocks, in declaration order.
            pub fn blocks() -> ::std::vec::Vec<$crate::framework::NestedBlock> {
                <Self as $crate::framework::object::Object>::block().blocks
            }
        }

        impl $crate::framework::object::Object for $name {
            fn block() -> $crate::framework::Block {
                #[allow(unused_mut)] // an object without fields
                let mut block = $crate::framework::Block::default();
                $(
                    $crate::framework::object::Member::add_to(
                        $crate::framework::object::kind::$kind::build::<$fty>(stringify!($field), $desc)
                            $( . $modifier ( $( $marg ),* ) )*,
                        &mut block,
                    );
                )*
                block
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
