//! The LaunchDarkly API as the provider uses it: typed [`models`] of the access-token and
//! custom-role endpoints, the HTTP [`client`] (auth, retries, rate limits, a process-wide
//! limiter), and [`secret`], the type that keeps credentials and token secrets out of logs.

pub mod client;
pub mod models;
pub mod secret;
