//! Unit tests of `retry.rs`.

use super::*;
use Repeatable::{Safe, Unsafe};

const NOW: i64 = 1_754_300_000_000;

fn policy() -> RetryPolicy {
    RetryPolicy::default()
}

fn st(retries: u32, conflicts: u32) -> RetryState {
    RetryState {
        retries,
        conflicts,
        refusals: 0,
        elapsed: Duration::ZERO,
    }
}

fn after(retries: u32, elapsed: Duration) -> RetryState {
    RetryState {
        retries,
        conflicts: 0,
        refusals: 0,
        elapsed,
    }
}

#[test]
fn table_of_status_and_method_decisions() {
    let none = RateLimitInfo::default();
    // (name, repeatable, outcome, retries so far, expect retry?)
    let cases: &[(&str, Repeatable, AttemptOutcome, u32, bool)] = &[
        ("200 stops", Safe, AttemptOutcome::Status(200), 0, false),
        (
            "404 not retried",
            Safe,
            AttemptOutcome::Status(404),
            0,
            false,
        ),
        (
            "400 not retried",
            Safe,
            AttemptOutcome::Status(400),
            0,
            false,
        ),
        (
            "401 not retried",
            Safe,
            AttemptOutcome::Status(401),
            0,
            false,
        ),
        (
            "422 not retried",
            Safe,
            AttemptOutcome::Status(422),
            0,
            false,
        ),
        (
            "503 GET retried",
            Safe,
            AttemptOutcome::Status(503),
            0,
            true,
        ),
        (
            "500 GET retried",
            Safe,
            AttemptOutcome::Status(500),
            3,
            true,
        ),
        (
            "501 never retried",
            Safe,
            AttemptOutcome::Status(501),
            0,
            false,
        ),
        (
            "503 POST not retried",
            Unsafe,
            AttemptOutcome::Status(503),
            0,
            false,
        ),
        (
            "429 POST retried",
            Unsafe,
            AttemptOutcome::Status(429),
            0,
            true,
        ),
        (
            "409 POST retried",
            Unsafe,
            AttemptOutcome::Status(409),
            0,
            true,
        ),
        (
            "connect failure POST retried",
            Unsafe,
            AttemptOutcome::NotSent,
            0,
            true,
        ),
        (
            "timeout POST not retried",
            Unsafe,
            AttemptOutcome::MaybeSent,
            0,
            false,
        ),
        (
            "timeout GET retried",
            Safe,
            AttemptOutcome::MaybeSent,
            0,
            true,
        ),
    ];
    for (name, rep, outcome, retries, expect) in cases {
        let d = decide(&policy(), *rep, st(*retries, 0), *outcome, &none, NOW, 0.5);
        assert_eq!(
            matches!(d, Decision::Retry { .. }),
            *expect,
            "case {name}: {d:?}"
        );
    }
}

/// Issue 12 item 8: a refused connection is retried twice, quickly, for any request;
/// an unfixable failure never.
#[test]
fn refused_connections_get_two_quick_retries_and_unfixable_ones_none() {
    let none = RateLimitInfo::default();
    let p = policy();
    for rep in [Safe, Unsafe] {
        let mut state = RetryState::default();
        let mut waited = Duration::ZERO;
        let mut tries = 1;
        while let Decision::Retry { wait, reason, .. } =
            decide(&p, rep, state, AttemptOutcome::Refused, &none, NOW, 1.0)
        {
            assert_eq!(reason, RetryReason::Refused);
            waited += wait;
            tries += 1;
            state.retries += 1;
            state.refusals += 1;
            state.elapsed += wait;
        }
        assert_eq!(tries, 1 + REFUSED_RETRIES, "{rep:?}");
        assert!(waited < Duration::from_secs(1), "{waited:?}");
        let d = decide(&p, rep, state, AttemptOutcome::Refused, &none, NOW, 1.0);
        assert_eq!(d, Decision::Exhausted(RetryReason::Refused));
        let d = decide(
            &p,
            rep,
            RetryState::default(),
            AttemptOutcome::Unfixable,
            &none,
            NOW,
            0.0,
        );
        assert_eq!(d, Decision::Stop, "{rep:?}");
    }
    // Other retries before do not use up the refusals (a server restarting mid-call).
    let d = decide(&p, Safe, st(7, 0), AttemptOutcome::Refused, &none, NOW, 0.0);
    assert!(matches!(d, Decision::Retry { .. }), "{d:?}");
}

#[test]
fn retries_are_bounded_by_the_time_budget() {
    let none = RateLimitInfo::default();
    let p = policy();
    let spent = p.retry_budget;
    for (repeatable, outcome, reason) in [
        (Safe, AttemptOutcome::Status(503), RetryReason::ServerError),
        (
            Unsafe,
            AttemptOutcome::Status(429),
            RetryReason::RateLimited,
        ),
        (Safe, AttemptOutcome::NotSent, RetryReason::Transport),
    ] {
        let d = decide(&p, repeatable, after(3, spent), outcome, &none, NOW, 0.0);
        assert_eq!(d, Decision::Exhausted(reason), "{outcome:?}");
    }
    // A wait that would end past the budget is not started either.
    let rate = RateLimitInfo {
        reset_ms: Some(NOW + 10_000),
        ..Default::default()
    };
    let almost = after(0, spent - Duration::from_secs(5));
    let d = decide(
        &p,
        Safe,
        almost,
        AttemptOutcome::Status(429),
        &rate,
        NOW,
        0.0,
    );
    assert_eq!(d, Decision::Exhausted(RetryReason::RateLimited));
}

/// Regression (reliability defect 1): a burst of header-less 429s used to exhaust a count
/// of 10 retries in about a second. Fifty quick retries inside the budget go on.
#[test]
fn a_burst_of_header_less_429s_does_not_exhaust_the_budget() {
    let none = RateLimitInfo::default();
    let p = RetryPolicy {
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(20),
        ..policy()
    };
    let burst = after(50, Duration::from_secs(1));
    let d = decide(
        &p,
        Safe,
        burst,
        AttemptOutcome::Status(429),
        &none,
        NOW,
        0.5,
    );
    assert!(matches!(d, Decision::Retry { .. }), "{d:?}");
}

#[test]
fn an_optional_count_cap_and_the_conflict_cap_still_apply() {
    let none = RateLimitInfo::default();
    let p = RetryPolicy {
        max_retries: Some(2),
        ..policy()
    };
    let d = decide(
        &p,
        Safe,
        st(2, 0),
        AttemptOutcome::Status(503),
        &none,
        NOW,
        0.0,
    );
    assert_eq!(d, Decision::Exhausted(RetryReason::ServerError));
    let d = decide(
        &p,
        Safe,
        st(1, 0),
        AttemptOutcome::Status(503),
        &none,
        NOW,
        0.0,
    );
    assert!(matches!(d, Decision::Retry { .. }), "{d:?}");
    let p = policy();
    let d = decide(
        &p,
        Safe,
        st(0, p.max_conflict_retries),
        AttemptOutcome::Status(409),
        &none,
        NOW,
        0.0,
    );
    assert_eq!(d, Decision::Stop);
}

#[test]
fn rate_limit_waits_at_least_the_reset_header_and_pauses_everyone() {
    let rate = RateLimitInfo {
        reset_ms: Some(NOW + 1_500),
        ..Default::default()
    };
    for jitter in [0.0, 0.3, 0.999] {
        match decide(
            &policy(),
            Safe,
            st(0, 0),
            AttemptOutcome::Status(429),
            &rate,
            NOW,
            jitter,
        ) {
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
        match decide(
            &policy(),
            Safe,
            st(0, 0),
            AttemptOutcome::Status(429),
            &rate,
            NOW,
            0.0,
        ) {
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
    let w = |n| match decide(
        &policy(),
        Safe,
        st(n, 0),
        AttemptOutcome::Status(429),
        &none,
        NOW,
        1.0,
    ) {
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
        let d = decide(
            &policy(),
            Safe,
            st(0, 0),
            AttemptOutcome::Status(429),
            &rate,
            NOW,
            0.9,
        );
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
