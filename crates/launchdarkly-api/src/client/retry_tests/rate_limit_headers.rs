//! Rate-limit headers: `RateLimitInfo` parsing (reset, `Retry-After`, remaining, junk,
//! huge values, HTTP dates) and the waits `decide` derives from them.

use super::*;

#[test]
fn rate_limit_waits_at_least_the_reset_header_and_pauses_everyone() {
    let rate = RateLimitInfo {
        reset_ms: Some(NOW + 1_500),
        ..Default::default()
    };
    for jitter in [0.0, 0.3, 0.999] {
        match after_429(&rate, 0, jitter) {
            Decision::Retry {
                wait,
                pause_everyone,
                reason,
            } => {
                assert!(wait >= Duration::from_millis(1_500), "{wait:?}");
                assert!(wait <= Duration::from_millis(1_500 + 200 + 375), "{wait:?}");
                assert!(pause_everyone);
                assert_eq!(reason, RetryReason::RateLimited);
            }
            other => panic!("expected retry, got {other:?}"),
        }
    }
}

#[test]
fn retry_after_wins_over_reset_and_auth_token_reset_is_used() {
    let rate = RateLimitInfo::from_headers(
        [
            ("Retry-After", "3"),
            ("X-RateLimit-Reset", &(NOW + 100).to_string()),
        ],
        NOW,
    );
    assert_eq!(rate.header_wait(NOW), Some(Duration::from_secs(3)));
    let later = (NOW + 2_000).to_string();
    let sooner = (NOW + 500).to_string();
    let rate = RateLimitInfo::from_headers(
        [
            ("x-ratelimit-reset", sooner.as_str()),
            ("X-Ratelimit-Auth-Token-Reset", later.as_str()),
        ],
        NOW,
    );
    assert_eq!(rate.header_wait(NOW), Some(Duration::from_millis(2_000)));
}

#[test]
fn past_or_negative_reset_means_no_header_wait() {
    for v in ["-5000", "0", &(NOW - 10_000).to_string()] {
        let rate = RateLimitInfo::from_headers([("X-Ratelimit-Reset", v)], NOW);
        assert_eq!(rate.header_wait(NOW), Some(Duration::ZERO), "value {v}");
        match after_429(&rate, 0, 0.0) {
            Decision::Retry { wait, .. } => {
                assert!(wait <= Duration::from_millis(200), "{wait:?}")
            }
            other => panic!("expected retry, got {other:?}"),
        }
    }
}

#[test]
fn header_less_429_uses_exponential_backoff() {
    let none = RateLimitInfo::default();
    let w = |n| match after_429(&none, n, 1.0) {
        Decision::Retry { wait, .. } => wait,
        other => panic!("{other:?}"),
    };
    assert_eq!(w(0), Duration::from_millis(200));
    assert_eq!(w(1), Duration::from_millis(400));
    assert_eq!(w(3), Duration::from_millis(1_600));
    assert_eq!(w(9), Duration::from_secs(10));
}

#[test]
fn remaining_is_the_smallest_of_the_remaining_headers_and_junk_is_ignored() {
    let rate = RateLimitInfo::from_headers(
        [
            ("X-Ratelimit-Global-Remaining", "40"),
            ("X-Ratelimit-Route-Remaining", "3"),
            ("X-Ratelimit-Auth-Token-Remaining", "junk"),
            ("Retry-After", "soon"),
        ],
        NOW,
    );
    assert_eq!(rate.remaining, Some(3));
    assert_eq!(rate.retry_after, None);
}

/// Regression (reliability defect 2): `Retry-After: i64::MAX` used to become a wait that
/// overflowed `Instant + Duration`. Every server-supplied wait is clamped.
#[test]
fn huge_server_waits_are_clamped_and_end_the_call() {
    for (name, value) in [
        ("Retry-After", "9223372036854775807".to_string()),
        ("X-Ratelimit-Reset", i64::MAX.to_string()),
        ("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
    ] {
        let rate = RateLimitInfo::from_headers([(name, value.as_str())], NOW);
        let w = rate.header_wait(NOW).expect("a wait");
        assert_eq!(w, MAX_SERVER_WAIT, "{name}: {value}");
        let d = after_429(&rate, 0, 0.9);
        assert_eq!(
            d,
            Decision::Exhausted(RetryReason::RateLimited),
            "{name}: {value}"
        );
    }
}

#[test]
fn retry_after_http_date_is_converted() {
    let rate =
        RateLimitInfo::from_headers([("Retry-After", "Thu, 01 Jan 1970 00:00:10 GMT")], 4_000);
    assert_eq!(rate.retry_after, Some(Duration::from_millis(6_000)));
}

proptest::proptest! {
    #[test]
    fn header_parsing_never_panics(name in ".{0,40}", value in ".{0,40}", now in proptest::num::i64::ANY, jitter in 0.0f64..1.0) {
        let rate = RateLimitInfo::from_headers([(name.as_str(), value.as_str())], now);
        let _ = decide(&policy(), Safe, st(0, 0), AttemptOutcome::Status(429), &rate, now, jitter);
    }
}
