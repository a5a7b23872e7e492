//! The protocol layer: tfplugin5 RPCs translated to and from framework calls.
//! Generated protobuf code lives in [`proto`]; conversions live in
//! [`convert`]; [`server`] holds the short, uniform RPC handlers.

pub mod convert;
mod guard;
mod list;
pub mod server;

/// Code generated from `proto/` by `build.rs`. Only this layer (and the
/// protocol tests, which play Terraform's part) use these types.
pub mod proto {
    #![allow(clippy::all, missing_docs)]
    pub mod tfplugin5 {
        tonic::include_proto!("tfplugin5");
    }
    pub mod plugin {
        tonic::include_proto!("plugin");
    }
}

pub use server::ProviderService;
