//! Property tests, in CI, for the decoders the fuzz targets in `fuzz/` hammer (issue 14):
//!
//! - the raw-state JSON path of `UpgradeResourceState` (`Engine::upgrade_resource_state`
//!   with the real provider: `tfld::framework::json` and the access token's `upgrade`);
//! - the API response parser, through the client's public entry point: a loopback server
//!   answers `Client::list_tokens_page` / `get_token` with the generated body, so the
//!   client's real (private) decoder runs, size cap and all;
//! - the rate-limit header parser (`RateLimitInfo`).
//!
//! The fuzz targets run for minutes on demand (docs/testing.md); these run a few hundred
//! cases each, in seconds.

#[path = "decoders_props/api_responses.rs"]
mod api_responses;
#[path = "decoders_props/rate_limit_headers.rs"]
mod rate_limit_headers;
#[path = "decoders_props/raw_state.rs"]
mod raw_state;

use proptest::prelude::*;
use serde_json::Value as J;

/// Numbers as JSON text, so huge and precise ones survive (`arbitrary_precision`).
fn json_number() -> impl Strategy<Value = J> {
    prop_oneof![
        any::<i64>().prop_map(J::from),
        "-?[0-9]{1,30}(\\.[0-9]{1,8})?([eE][-+]?[0-9]{1,3})?"
            .prop_filter_map("a JSON number", |s| serde_json::from_str::<J>(&s).ok()),
    ]
}

fn json_leaf() -> impl Strategy<Value = J> {
    prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        json_number(),
        ".{0,12}".prop_map(J::String),
        prop::sample::select(vec!["reader", "allow", "deny", "", "20240415", "true", "1"])
            .prop_map(|s| J::String(s.into())),
    ]
}

fn json_value() -> impl Strategy<Value = J> {
    json_leaf().prop_recursive(3, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
            prop::collection::btree_map("[a-z_]{0,8}", inner, 0..4)
                .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}
