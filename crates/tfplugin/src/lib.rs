//! tfplugin: a Terraform plugin framework for protocol 5, in layers that each depend only on
//! the ones below it:
//! - [`transport`]: go-plugin handshake, unix socket, AutoMTLS, health, controller, stdio;
//! - [`protocol`]: tfplugin5 RPCs ↔ framework calls (conversions in one place);
//! - [`framework`]: cty types and values with null/unknown, msgpack/JSON codecs, schema,
//!   diagnostics, typed decoding, and the `Provider` / `Resource` / `DataSource` traits;
//! - [`logging`]: hclog JSON lines on stderr, as Terraform reads them.
//!
//! Nothing here knows which service a provider manages, and nothing here speaks HTTP.

pub mod framework;
pub mod logging;
pub mod protocol;
pub mod transport;
