//! Typed LaunchDarkly API models shared by the client and the emulator.
//!
//! Field names and types follow LaunchDarkly's OpenAPI schemas for `/api/v2/tokens`
//! (`Token`, `Tokens`, `AccessTokenPost`, `StatementPost`/`Statement`, `PatchOperation`,
//! `MemberSummary`, `Link`, the error representations) and the custom-role lookup.
//! Decoding is lenient (unknown response fields are ignored, as LaunchDarkly may add
//! fields); the emulator applies its own strict validation before decoding requests.

mod error_body;
mod patch;
mod post;
mod role;
pub mod time;
mod token;

pub use error_body::ErrorBody;
pub use patch::{PatchOp, PatchOperation};
pub use post::{AccessTokenPost, BaseRole, Effect, Statement, StatementPost};
pub use role::CustomRole;
pub use token::{Link, Links, MemberSummary, Token, Tokens};

/// The API version this project speaks (`LD-API-Version` header and the default
/// `defaultApiVersion` of new tokens).
pub const API_VERSION: i64 = 20240415;

/// API versions LaunchDarkly has published; a token's `defaultApiVersion` is one of these.
pub const KNOWN_API_VERSIONS: [i64; 5] = [20240415, 20220603, 20210729, 20191212, 20160426];
