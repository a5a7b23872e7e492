//! The plugin framework: cty types and values (with null and unknown), their
//! msgpack and JSON codecs, schemas, attribute paths, diagnostics, typed
//! decoding, and the `Provider`/`Resource`/`DataSource` traits. Nothing here
//! knows about gRPC or protobuf.

#[cfg(test)]
mod codec_tests;
pub mod config_rules;
pub mod diagnostics;
pub mod engine;
mod generate;
pub mod identity;
pub mod json;
pub mod msgpack;
pub mod number;
pub mod object;
pub mod path;
pub mod provider;
pub mod redact;
pub mod schema;
#[cfg(test)]
pub(crate) mod test_support;
pub mod typed;
pub mod types;
pub mod value;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use identity::{IdentityAttribute, IdentitySchema};
pub use path::AttributePath;
pub use provider::{
    ApplyRequest, Ctx, DataSource, EphemeralResource, ListItem, ListRequest, ListResource, Opened,
    Outcome, Plan, PlanRequest, Provider, Renewed, Resource,
};
pub use schema::{Attribute, Block, NestedBlock, Nesting, Schema};
pub use typed::{Attr, FromValue};
pub use types::Type;
pub use value::Value;
