//! The rate-limit header parser (`RateLimitInfo`): whatever the headers say, the wait is
//! capped.

use std::time::Duration;

use proptest::prelude::*;
use tfld::client::retry::{MAX_SERVER_WAIT, RateLimitInfo};

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        any::<u64>().prop_map(|i| i.to_string()),
        "[0-9]{19,40}",
        ".{0,20}",
        Just("Wed, 21 Oct 2015 07:28:00 GMT".to_string()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
    ]
}

proptest! {
    /// Whatever the headers say, the wait is capped; a plain `Retry-After: n` is n seconds.
    #[test]
    fn rate_limit_waits_are_capped(
        headers in prop::collection::vec((prop::sample::select(vec![
            "Retry-After", "X-Ratelimit-Reset", "X-Ratelimit-Auth-Token-Reset",
            "X-Ratelimit-Global-Remaining", "x-ratelimit-route-remaining", "Other",
        ]), header_value()), 0..6),
        now_ms in prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(0i64), any::<i64>(), 1_600_000_000_000i64..1_900_000_000_000],
        secs in 0u64..200_000,
    ) {
        let pairs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let info = RateLimitInfo::from_headers(pairs.iter().copied(), now_ms);
        if let Some(w) = info.header_wait(now_ms) {
            prop_assert!(w <= MAX_SERVER_WAIT, "{:?} from {:?}", w, headers);
        }
        let s = secs.to_string();
        let info = RateLimitInfo::from_headers([("Retry-After", s.as_str())], now_ms);
        prop_assert_eq!(info.header_wait(now_ms), Some(Duration::from_secs(secs).min(MAX_SERVER_WAIT)));
    }
}
