//! Feeds arbitrary bytes to what the client does with a response body. The client's
//! decoder (`launchdarkly_api::client::decode`) is private; its public entry points are the
//! async HTTP methods, so this target repeats exactly what it does — `serde_json` through
//! `serde_path_to_error` into the models `Tokens`, `Token` and `CustomRole`, then the end of
//! input check — and drives the public pieces around it: the provider's conversion of a
//! decoded token into Terraform values (both data sources and the resource's state), the
//! error-body parser `ApiErrorDetail::from_response` with any status, and the rate-limit
//! header parser `RateLimitInfo::from_headers` / `header_wait`.
//!
//! Invariants: never a panic or hang; a decoded model re-encodes and decodes to itself; a
//! header wait is never longer than `MAX_SERVER_WAIT`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use tfld::client::retry::{MAX_SERVER_WAIT, RateLimitInfo};
use tfld::client::{ApiErrorDetail, Operation};
use tfld::models::{CustomRole, ErrorBody, Token, Tokens};

/// What `client::decode` does: a whole body, with the JSON path of the first bad value.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    // The path is not checked: a member named "" gives an empty path (`{"": [}` → ``),
    // a cosmetic finding of this target (docs/testing.md).
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| e.path().to_string())?;
    de.end().map_err(|_| String::from("."))?;
    Ok(value)
}

fn round_trip<T: DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug>(v: &T) {
    let bytes = serde_json::to_vec(v).expect("re-encode a decoded model");
    let back: T = decode(&bytes).expect("decode a re-encoded model");
    assert_eq!(&back, v, "model round trip");
}

fn token_to_values(t: &Token) {
    let _ = tfld::provider::data_sources::model::token_value(t);
    let _ = tfld::provider::data_sources::model::rfc3339(t.creation_date);
}

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = decode::<Tokens>(data) {
        round_trip(&page);
        let mut items = page.items.clone();
        tfld::provider::data_sources::model::sort_dedup(&mut items);
        items.iter().for_each(token_to_values);
    }
    if let Ok(t) = decode::<Token>(data) {
        round_trip(&t);
        token_to_values(&t);
    }
    if let Ok(r) = decode::<CustomRole>(data) {
        round_trip(&r);
    }
    let _ = decode::<ErrorBody>(data);

    if let Some((&[a, b], body)) = data.split_first_chunk::<2>() {
        let status = 100 + u16::from_be_bytes([a, b]) % 500;
        for op in [
            Operation::ListTokens,
            Operation::GetToken,
            Operation::CreateToken,
        ] {
            let d = ApiErrorDetail::from_response(op, status, body, None, String::new(), 1);
            let _ = d.to_string();
        }
    }

    // Rate-limit headers: the body as `name: value` lines, any now.
    let text = String::from_utf8_lossy(data);
    let headers: Vec<(&str, &str)> = text.lines().filter_map(|l| l.split_once(':')).collect();
    for now_ms in [0, 1_700_000_000_000, i64::MIN, i64::MAX] {
        let info = RateLimitInfo::from_headers(headers.iter().copied(), now_ms);
        let _ = info.reset_at_ms();
        if let Some(w) = info.header_wait(now_ms) {
            assert!(w <= MAX_SERVER_WAIT, "a wait of {w:?} from {headers:?}");
        }
    }
});
