//! terraform-provider-launchdarkly: a Terraform provider (plugin protocol 5) for LaunchDarkly
//! API access tokens.
//!
//! The layers are crates, each depending only on the ones below it (see ARCHITECTURE.md):
//! - `tfplugin` — [`transport`] → [`protocol`] → [`framework`], plus [`logging`];
//! - this crate — [`provider`]: config, the `launchdarkly_access_token` resource and the
//!   token data sources, and [`docs`], the generator of `docs/`;
//! - `launchdarkly-api` — [`client`] (LaunchDarkly HTTP API) and [`models`];
//! - `launchdarkly-emulator` — beside the client, sharing only the models; not linked into
//!   the provider binary.

pub use launchdarkly_api::{client, models, secret};
pub use tfplugin::{framework, logging, protocol, transport};

pub mod docs;
pub mod provider;
