//! 429 storms: waits honour the reset and `Retry-After` headers, one client paces its
//! calls by the remaining headers, every header style completes, and no thundering herd.

use crate::*;

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
