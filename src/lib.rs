pub mod client;
pub mod emulator;
pub mod models;
pub mod secret;
