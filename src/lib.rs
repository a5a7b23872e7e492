//! terraform-provider-launchdarkly: a Terraform provider (plugin protocol 5)
//! for LaunchDarkly API access tokens, and the pieces it is built from.
//!
//! Layers, each depending only on the ones below it:
//! - [`transport`]: go-plugin handshake, unix socket, AutoMTLS, controller;
//! - [`protocol`]: tfplugin5 RPCs ↔ framework calls;
//! - [`framework`]: cty types/values, codecs, schema, diagnostics, traits;
//! - [`provider`]: the LaunchDarkly provider, its resource and data sources;
//! - `client` (LaunchDarkly HTTP API) and, beside it, `emulator`.

pub mod client;
pub mod docs;
pub mod emulator;
pub mod framework;
pub mod logging;
pub mod models;
pub mod protocol;
pub mod provider;
pub mod secret;
pub mod transport;
