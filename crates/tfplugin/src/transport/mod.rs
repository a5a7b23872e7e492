//! The transport layer: everything between Terraform launching the binary
//! and an RPC reaching the protocol layer — the go-plugin handshake, the
//! private unix socket, AutoMTLS with a pinned client certificate, gRPC
//! health, the controller's `Shutdown`, SIGINT handling and debug mode.

pub mod conn;
pub mod controller;
pub mod handshake;
pub mod routes;
pub mod serve;
pub mod socket;
pub mod stdio;
pub mod tls;

pub use serve::{ServeError, ServeOptions, serve};
