//! End-to-end tests: the real provider binary, driven by the real
//! `terraform` (from `TF_ACC_TERRAFORM_PATH`, else `terraform` on PATH) or,
//! for protocol tests, by a tonic client that plays Terraform's part exactly
//! (environment, handshake, P-521 client certificate, mTLS over the socket).
//! One test binary, so it links once.

mod support;

mod access_token;
mod access_token_correctness;
mod access_token_messages;
mod audit;
mod bad_input;
mod data_sources;
mod debug_mode;
mod deprecation;
mod ephemeral;
mod examples;
mod fault_matrix;
mod install;
mod interrupt;
mod local_registry;
mod migrating;
mod module_testing;
mod protocol;
mod provider_config;
mod query;
mod refresh;
mod release;
mod reliability;
mod secret_hygiene;
