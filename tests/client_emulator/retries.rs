//! Retries, rate limits, the limiter and timeouts under injected faults.

use super::*;

#[tokio::test]
async fn create_is_never_repeated_after_a_server_error() {
    let emu = emulator().await;
    let c = client(&emu);
    let t = c.create_token(&reader_post("t")).await.expect("create");
    emu.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    emu.clear_requests();
    let before = emu.tokens().len();
    match c.create_token(&reader_post("maybe")).await {
        Err(Error::OutcomeUnknown {
            operation,
            status,
            started_at_ms,
            ..
        }) => {
            assert_eq!(operation, Operation::CreateToken);
            assert_eq!(status, Some(503));
            assert!(started_at_ms > 0);
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(count(&emu, "POST", "/api/v2/tokens"), 1, "exactly one POST");
    assert_eq!(
        emu.tokens().len(),
        before,
        "the injected 5xx happened before handling"
    );

    match c.reset_token(&t.id, None).await {
        Err(Error::OutcomeUnknown {
            operation: Operation::ResetToken,
            ..
        }) => {}
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(
        count(&emu, "POST", "/api/v2/tokens/"),
        1,
        "exactly one reset POST"
    );
}

#[tokio::test]
async fn a_lost_create_response_is_outcome_unknown_and_the_token_exists() {
    for mode in [LostResponse::Drop, LostResponse::ServerError] {
        let emu = emulator().await;
        let c = client(&emu);
        emu.set_faults(Faults {
            lose_next_creates: 1,
            lost_create_mode: mode,
            ..Faults::default()
        });
        let err = c
            .create_token(&reader_post("lost"))
            .await
            .expect_err("lost");
        let started = match err {
            Error::OutcomeUnknown {
                started_at_ms,
                operation: Operation::CreateToken,
                ..
            } => started_at_ms,
            other => panic!("{mode:?}: expected OutcomeUnknown, got {other:?}"),
        };
        assert_eq!(
            count(&emu, "POST", "/api/v2/tokens"),
            1,
            "{mode:?}: one POST"
        );
        // The provider can find what it may have created.
        let found: Vec<_> = c
            .list_all_tokens(false)
            .await
            .expect("list")
            .into_iter()
            .filter(|t| t.name.as_deref() == Some("lost") && t.creation_date >= started - 300_000)
            .collect();
        assert_eq!(found.len(), 1, "{mode:?}");
        // The next create works normally.
        c.create_token(&reader_post("next"))
            .await
            .expect("next create");
    }
}

#[tokio::test]
async fn every_idempotent_call_completes_under_a_30_percent_5xx_rate_and_dropped_connections() {
    let emu = emulator().await;
    let c = client(&emu);
    let seeded = emu
        .seed_tokens(
            40,
            SeedToken {
                service_token: true,
                ..Default::default()
            },
        )
        .expect("seed");
    emu.set_faults(Faults {
        error_rate: 0.3,
        drop_rate: 0.1,
        seed: Some(42),
        ..Faults::default()
    });
    emu.clear_requests();
    for t in &seeded[..20] {
        c.get_token(&t.id).await.expect("get completes");
    }
    for t in &seeded[20..30] {
        let p = c
            .patch_token(&t.id, &[PatchOperation::replace("/name", "renamed")])
            .await
            .expect("patch completes");
        assert_eq!(p.name.as_deref(), Some("renamed"));
    }
    for t in &seeded[30..] {
        c.delete_token(&t.id).await.expect("delete completes");
    }
    assert_eq!(
        c.list_all_tokens(false)
            .await
            .expect("list completes")
            .len(),
        32
    );
    let log = emu.requests();
    let failures = log.iter().filter(|r| r.status >= 500 || r.dropped).count();
    assert!(failures > 0, "the faults fired");
    assert!(
        log.iter().any(|r| r.dropped),
        "some connections were dropped"
    );
}

#[tokio::test]
async fn a_429_storm_completes_and_waits_honour_the_reset_header() {
    let emu = emulator().await;
    let c = client(&emu);
    let t = c.create_token(&reader_post("t")).await.expect("create");
    emu.set_faults(Faults {
        rate_limit: Some(3),
        rate_limit_window_ms: 600,
        ..Faults::default()
    });
    // A new client per call: its limiter has not seen the `Remaining` headers, so it runs
    // into the limit (one client paces itself instead: see the next test). Built before
    // the storm (a client loads the root certificates), and a window long enough that a
    // loaded machine still sends more than 3 requests in one.
    let clients: Vec<Client> = (0..12).map(|_| client(&emu)).collect();
    emu.clear_requests();
    for c in &clients {
        c.get_token(&t.id).await.expect("completes");
    }
    let log = emu.requests();
    let limited: Vec<_> = log.iter().filter(|r| r.status == 429).collect();
    assert!(!limited.is_empty(), "the storm produced 429s");
    // Sequential calls: the request after a 429 is its retry, and it must not arrive before
    // the announced reset.
    for pair in log.windows(2) {
        if pair[0].status == 429 {
            let reset = pair[0].rate_limit_reset_ms.expect("reset header");
            assert!(
                pair[1].received_at_ms >= reset,
                "retry at {} before reset {reset}",
                pair[1].received_at_ms
            );
        }
    }
}

/// Issue 11 item 4: one client reads `X-Ratelimit-Global-Remaining` / `X-Ratelimit-Reset`
/// and holds its concurrent calls for the reset instead of running into the limit, even
/// with fewer requests per window (5) than slots (10).
#[tokio::test]
async fn one_client_paces_concurrent_calls_by_the_remaining_headers() {
    let emu = emulator().await;
    let c = client(&emu);
    let t = c.create_token(&reader_post("t")).await.expect("create");
    emu.set_faults(Faults {
        rate_limit: Some(5),
        rate_limit_window_ms: 200,
        latency_ms: 10,
        ..Faults::default()
    });
    emu.clear_requests();
    // The first answer tells the client the window; then 30 calls at once.
    c.get_token(&t.id).await.expect("first");
    let calls: Vec<_> = (0..30)
        .map(|_| {
            let (c, id) = (c.clone(), t.id.clone());
            tokio::spawn(async move { c.get_token(&id).await })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("completes");
    }
    let log = emu.requests();
    let limited = log.iter().filter(|r| r.status == 429).count();
    assert_eq!(
        limited,
        0,
        "paced by the headers, not by 429s: {limited} of {}",
        log.len()
    );
    assert_eq!(log.len(), 31);
    assert!(c.limiter().stats().paced > 0, "calls were held for a reset");
}

#[tokio::test]
async fn concurrent_429_storm_with_every_header_style_completes() {
    for style in [
        RateLimitStyle::Global,
        RateLimitStyle::AuthToken,
        RateLimitStyle::Route,
        RateLimitStyle::None,
    ] {
        let emu = emulator().await;
        let c = client(&emu);
        let seeded = emu.seed_tokens(30, SeedToken::default()).expect("seed");
        emu.set_faults(Faults {
            rate_limit: Some(8),
            rate_limit_window_ms: 100,
            rate_limit_style: style,
            ..Faults::default()
        });
        let calls = seeded.iter().map(|t| {
            let c = c.clone();
            let id = t.id.clone();
            async move { c.get_token(&id).await }
        });
        let results = futures::future::join_all(calls).await;
        assert!(
            results.iter().all(Result::is_ok),
            "{style:?}: {:?}",
            results.iter().find(|r| r.is_err())
        );
        assert!(
            emu.requests().iter().any(|r| r.status == 429),
            "{style:?}: storm happened"
        );
    }
}

#[tokio::test]
async fn retry_after_seconds_are_honoured() {
    let emu = emulator().await;
    let c = client(&emu);
    let t = c.create_token(&reader_post("t")).await.expect("create");
    emu.set_faults(Faults {
        rate_limit: Some(1),
        rate_limit_window_ms: 50,
        rate_limit_style: RateLimitStyle::RetryAfter,
        ..Faults::default()
    });
    emu.clear_requests();
    c.get_token(&t.id).await.expect("first");
    c.get_token(&t.id)
        .await
        .expect("second, after a Retry-After wait");
    let log = emu.requests();
    if let Some(i) = log.iter().position(|r| r.status == 429) {
        let secs = log[i].retry_after_secs.expect("Retry-After sent");
        let waited = log[i + 1].since_start - log[i].since_start;
        assert!(
            waited >= Duration::from_secs(secs),
            "waited {waited:?} < {secs}s"
        );
    } else {
        panic!("expected a 429 in {log:?}");
    }
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_429_every_caller_pauses_until_the_reset_no_thundering_herd() {
    let emu = emulator().await;
    let c = client(&emu);
    let seeded = emu.seed_tokens(40, SeedToken::default()).expect("seed");
    emu.set_faults(Faults {
        rate_limit: Some(8),
        rate_limit_window_ms: 1_000,
        ..Faults::default()
    });
    emu.clear_requests();
    // Use up the window first (list requests, told apart from the client's GETs by path):
    // the client's first wave then meets the limit before any answer can teach its pacing
    // (limiter.rs) where the wall is, so this tests the reaction to a 429, whatever the
    // machine's scheduling.
    let http = reqwest::Client::new();
    for _ in 0..20 {
        let status = http
            .get(format!("{}/api/v2/tokens", emu.base_url()))
            .header("Authorization", emu.admin_key())
            .send()
            .await
            .expect("response")
            .status();
        if status.as_u16() == 429 {
            break;
        }
    }
    let calls = seeded.iter().map(|t| {
        let c = c.clone();
        let id = t.id.clone();
        async move { c.get_token(&id).await }
    });
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "every call completes");
    let log: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v2/tokens/"))
        .collect();
    let first = log
        .iter()
        .find(|r| r.status == 429)
        .expect("the limit was hit");
    let reset = first.rate_limit_reset_ms.expect("reset header");
    // Between the first 429 and its reset, only requests that were already in
    // flight may arrive (at most max_concurrency = 10); the 30 queued callers
    // must wait for the reset instead of each discovering the limit itself.
    let during = log
        .iter()
        .filter(|r| r.received_at_ms >= first.received_at_ms && r.received_at_ms < reset)
        .count();
    assert!(
        during <= 10,
        "{during} requests arrived while the limit was known to be exhausted"
    );
}
