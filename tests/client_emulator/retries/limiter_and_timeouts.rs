//! The limiter's concurrency cap, the overall deadline and the per-attempt timeout.

use crate::*;

#[tokio::test]
async fn the_limiter_never_exceeds_max_concurrency() {
    let emu = emulator().await;
    let seeded = emu.seed_tokens(24, SeedToken::default()).expect("seed");
    let mut cfg = config(&emu, emu.admin_key());
    cfg.max_concurrency = 3;
    let c = Client::new(cfg).expect("client");
    emu.set_faults(Faults {
        latency_ms: 20,
        ..Faults::default()
    });
    emu.clear_requests();
    let calls = seeded.iter().map(|t| {
        let c = c.clone();
        let id = t.id.clone();
        async move { c.get_token(&id).await }
    });
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok));
    assert!(
        emu.peak_in_flight() <= 3,
        "emulator saw {} at once",
        emu.peak_in_flight()
    );
    // The calls did overlap (so the cap, not serial execution, kept it at 3).
    assert!(emu.peak_in_flight() >= 2, "peak {}", emu.peak_in_flight());
    assert!(c.limiter().stats().peak <= 3);
    assert_eq!(c.limiter().stats().in_flight, 0);
}

#[tokio::test]
async fn overall_deadline_bounds_a_call_with_retries() {
    let emu = emulator().await;
    let mut cfg = config(&emu, emu.admin_key());
    cfg.overall_timeout = Duration::from_millis(300);
    cfg.retry = RetryPolicy {
        retry_budget: Duration::from_secs(60),
        max_retries: None,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(50),
        max_conflict_retries: 3,
    };
    let c = Client::new(cfg).expect("client");
    emu.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    match c.get_token("0123456789abcdef01234567").await {
        Err(Error::DeadlineExceeded { attempts, .. }) => assert!(attempts >= 2),
        other => panic!("expected DeadlineExceeded, got {other:?}"),
    }
}

#[tokio::test]
async fn per_attempt_timeout_on_create_is_outcome_unknown() {
    let emu = emulator().await;
    let mut cfg = config(&emu, emu.admin_key());
    cfg.http_timeout = Duration::from_millis(100);
    let c = Client::new(cfg).expect("client");
    emu.set_faults(Faults {
        latency_ms: 1_000,
        ..Faults::default()
    });
    let e = c
        .create_token(&reader_post("slow"))
        .await
        .expect_err("timeout");
    assert!(
        matches!(e, Error::OutcomeUnknown { status: None, .. }),
        "{e}"
    );
}
