//! `decide` by status, method and outcome: the table of decisions, refused connections,
//! the time budget, bursts of 429s and the count caps.

use super::*;

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
    let after_503 = |retries| {
        let outcome = AttemptOutcome::Status(503);
        decide(&p, Safe, st(retries, 0), outcome, &none, NOW, 0.0)
    };
    assert_eq!(after_503(2), Decision::Exhausted(RetryReason::ServerError));
    let d = after_503(1);
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
