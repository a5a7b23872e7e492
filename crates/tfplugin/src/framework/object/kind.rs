//! The kinds a field of an [`object!`](crate::object) can be. Each kind is a module with
//! `build` (the field's schema member, from its Rust type) and `decode` (the field, read
//! from its object value); the macro calls `kind::<kind>::build` and `kind::<kind>::decode`.

use super::{CtyType, Object};
use crate::framework::diagnostics::Diagnostic;
use crate::framework::path::AttributePath;
use crate::framework::schema::{Attribute, Block, NestedBlock, Nesting};
use crate::framework::typed::{FromValue, field};
use crate::framework::value::Value;

macro_rules! attribute_kind {
    ($kind:ident, $doc:literal) => {
        #[doc = $doc]
        pub mod $kind {
            use super::*;

            /// The attribute (type from the field's Rust type).
            pub fn build<T: CtyType>(name: &str, description: &str) -> Attribute {
                Attribute::$kind(name, T::cty(), description)
            }

            /// Reads the attribute; a null, unknown or mistyped value is the Rust type's business.
            pub fn decode<T: FromValue>(
                obj: &Value,
                base: &AttributePath,
                name: &str,
            ) -> Result<T, Diagnostic> {
                field(obj, base, name)
            }
        }
    };
}

attribute_kind!(required, "An attribute the configuration must set.");
attribute_kind!(optional, "An attribute the configuration may set.");
attribute_kind!(computed, "An attribute only the provider sets (read-only).");
attribute_kind!(
    optional_computed,
    "An attribute the configuration may set; the provider sets it when the configuration does not."
);

/// A collection of nested blocks: `Vec<T>` of an [`Object`].
pub trait Blocks: FromValue + Default {
    /// The block of one element.
    fn element_block() -> Block;
}

impl<T: Object> Blocks for Vec<T> {
    fn element_block() -> Block {
        T::block()
    }
}

/// Nested blocks with list nesting (`thing { … }` repeated), typed `Vec<T>`.
pub mod list_block {
    use super::*;

    /// The nested block (`description` is the block's).
    pub fn build<T: Blocks>(name: &str, description: &str) -> NestedBlock {
        let block = Block {
            description: description.to_string(),
            ..T::element_block()
        };
        NestedBlock::new(name, Nesting::List, block)
    }

    /// Reads the blocks; null (a state written without them) is none.
    pub fn decode<T: Blocks>(
        obj: &Value,
        base: &AttributePath,
        name: &str,
    ) -> Result<T, Diagnostic> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(T::default()),
            Some(_) => field(obj, base, name),
        }
    }
}
