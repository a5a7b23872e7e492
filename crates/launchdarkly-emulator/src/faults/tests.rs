//! Tests of the fault gate and the one-shot knobs.

use super::*;

#[test]
fn rate_limit_allows_limit_requests_per_window_then_429s() {
    let mut s = FaultState::new(Faults {
        rate_limit: Some(2),
        rate_limit_window_ms: 60_000,
        ..Faults::default()
    });
    assert!(matches!(s.gate(), Gate::Pass(_)));
    match s.gate() {
        Gate::Pass(h) => assert!(
            h.headers
                .contains(&("X-Ratelimit-Global-Remaining", "0".into()))
        ),
        other => panic!("{other:?}"),
    }
    match s.gate() {
        Gate::RateLimited(h) => assert!(h.reset_ms.is_some()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn seeded_error_rate_is_roughly_the_rate() {
    let mut s = FaultState::new(Faults {
        error_rate: 0.3,
        seed: Some(7),
        ..Faults::default()
    });
    let errors = (0..1000)
        .filter(|_| matches!(s.gate(), Gate::ServerError(503, _)))
        .count();
    assert!((200..400).contains(&errors), "{errors}");
}

#[test]
fn one_shot_faults_are_consumed() {
    let mut s = FaultState::new(Faults {
        lose_next_creates: 1,
        conflict_next_patches: 2,
        ..Faults::default()
    });
    assert_eq!(s.take_lost_create(), Some(LostResponse::Drop));
    assert_eq!(s.take_lost_create(), None);
    let mut s = FaultState::new(Faults {
        fail_next_creates: 1,
        error_status: 502,
        ..Faults::default()
    });
    assert_eq!(s.take_failed_create(), Some(502));
    assert_eq!(s.take_failed_create(), None);
    let mut s = FaultState::new(Faults {
        fail_next_resets: 2,
        ..Faults::default()
    });
    assert_eq!(s.take_failed_reset(), Some(503));
    assert_eq!(s.take_failed_reset(), Some(503));
    assert_eq!(s.take_failed_reset(), None);
    let mut s = FaultState::new(Faults {
        lose_next_creates: 1,
        conflict_next_patches: 2,
        ..Faults::default()
    });
    s.take_lost_create();
    assert!(s.take_conflict() && s.take_conflict() && !s.take_conflict());
    let mut s = FaultState::new(Faults {
        oversize_next_lists: 1,
        oversized_list_bytes: 9 << 20,
        ..Faults::default()
    });
    assert_eq!(s.take_oversized_list(), Some(9 << 20));
    assert_eq!(s.take_oversized_list(), None);
    let f: Faults = serde_json::from_str(r#"{"oversizeNextLists":2}"#).expect("camelCase knob");
    assert_eq!(
        (f.oversize_next_lists, f.oversized_list_bytes),
        (2, 64 << 20)
    );
}

#[test]
fn faults_deserialise_with_defaults_and_reject_unknown_knobs() {
    let f: Faults = serde_json::from_str(r#"{"errorRate":0.5}"#).expect("valid");
    assert_eq!(f.error_status, 503);
    assert!(serde_json::from_str::<Faults>(r#"{"errRate":0.5}"#).is_err());
}

#[test]
fn each_style_announces_its_own_headers() {
    let names = |style| -> Vec<&'static str> {
        rate_headers(style, 5, 4, 1_000)
            .headers
            .iter()
            .map(|(n, _)| *n)
            .collect()
    };
    assert_eq!(
        names(RateLimitStyle::Global),
        [
            "X-Ratelimit-Global-Limit",
            "X-Ratelimit-Global-Remaining",
            "X-Ratelimit-Reset"
        ]
    );
    assert_eq!(
        names(RateLimitStyle::Route),
        [
            "X-Ratelimit-Route-Limit",
            "X-Ratelimit-Route-Remaining",
            "X-Ratelimit-Reset"
        ]
    );
    assert_eq!(
        names(RateLimitStyle::AuthToken),
        [
            "X-Ratelimit-Auth-Token-Limit",
            "X-Ratelimit-Auth-Token-Remaining",
            "X-Ratelimit-Auth-Token-Reset"
        ]
    );
    let h = rate_headers(RateLimitStyle::AuthToken, 5, 4, 1_000);
    assert_eq!(
        h.headers
            .iter()
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>(),
        ["5", "4", "1000"]
    );
    assert_eq!((h.reset_ms, h.retry_after_secs), (Some(1_000), None));
    for style in [RateLimitStyle::RetryAfter, RateLimitStyle::None] {
        assert_eq!(rate_headers(style, 5, 4, 1_000), RateHeaders::default());
    }
}
