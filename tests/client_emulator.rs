//! Client ↔ emulator integration tests: every operation and error status through the real
//! client against the in-process emulator, pagination, reset grace periods on the emulated
//! clock, retries and the limiter under injected faults, OpenAPI conformance of every
//! response and request body, the emulator's strictness, admin endpoints and persistence.
//! (The emulator binary's startup line and clean shutdown are tested in its own crate.)

#[path = "support/openapi.rs"]
mod openapi;

use std::time::Duration;

use launchdarkly_emulator::{
    Emulator, EmulatorConfig, EmulatorHandle, Faults, LostResponse, RateLimitStyle, SeedToken,
};
use serde_json::{Value, json};
use tfld::client::{Client, ClientConfig, Error, ListParams, Operation, RetryPolicy, request};
use tfld::models::{AccessTokenPost, BaseRole, Effect, PatchOperation, Statement};

async fn emulator() -> EmulatorHandle {
    Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator starts")
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        retry_budget: Duration::from_secs(20),
        max_retries: None,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(20),
        max_conflict_retries: 3,
    }
}

fn config(emu: &EmulatorHandle, key: &str) -> ClientConfig {
    let mut c = ClientConfig::new(emu.base_url(), key);
    c.retry = fast_retries();
    c.http_timeout = Duration::from_secs(5);
    c.overall_timeout = Duration::from_secs(30);
    c
}

fn client(emu: &EmulatorHandle) -> Client {
    Client::new(config(emu, emu.admin_key())).expect("client")
}

fn reader_post(name: &str) -> AccessTokenPost {
    AccessTokenPost {
        name: Some(name.to_owned()),
        role: Some(BaseRole::Reader),
        ..Default::default()
    }
}

fn count(emu: &EmulatorHandle, method: &str, path_prefix: &str) -> usize {
    emu.requests()
        .iter()
        .filter(|r| r.method == method && r.path.starts_with(path_prefix))
        .count()
}

// ---------------------------------------------------------------- operations

#[tokio::test]
async fn create_get_patch_list_delete_round_trip() {
    let emu = emulator().await;
    let c = client(&emu);

    let created = c
        .create_token(&AccessTokenPost {
            description: Some("for CI".into()),
            service_token: Some(true),
            default_api_version: Some(20240415),
            ..reader_post("ci")
        })
        .await
        .expect("create");
    let secret = created.token.clone().expect("secret on create");
    assert!(secret.expose().starts_with("api-") && secret.expose().len() == 40);
    assert_eq!(created.role.as_deref(), Some("reader"));
    assert_eq!(created.service_token, Some(true));
    assert_eq!(created.custom_role_ids.as_deref(), Some(&[][..]));
    let stored = emu.token(&created.id).expect("stored");
    assert_eq!(stored.secret, secret.expose());

    let got = c.get_token(&created.id).await.expect("get");
    assert_eq!(got.token.as_ref().map(|t| t.expose()), Some(secret.last4()));
    assert_eq!(got.description.as_deref(), Some("for CI"));

    let patched = c
        .patch_token(
            &created.id,
            &[
                PatchOperation::replace("/name", "ci writer"),
                PatchOperation::replace("/role", "writer"),
            ],
        )
        .await
        .expect("patch");
    assert_eq!(patched.name.as_deref(), Some("ci writer"));
    assert_eq!(patched.role.as_deref(), Some("writer"));
    assert_eq!(
        patched.token.as_ref().map(|t| t.expose()),
        Some(secret.last4())
    );

    let all = c.list_all_tokens(false).await.expect("list");
    assert!(all.iter().any(|t| t.id == created.id));
    assert!(
        all.iter()
            .all(|t| t.token.as_ref().is_some_and(|s| s.expose().len() == 4))
    );

    c.delete_token(&created.id).await.expect("delete");
    let err = c.get_token(&created.id).await.expect_err("gone");
    assert!(err.is_not_found(), "{err}");
    // The deleted token's own secret no longer authenticates.
    let gone = Client::new(config(&emu, secret.expose())).expect("client");
    assert!(matches!(
        gone.list_tokens_page(ListParams::default()).await,
        Err(Error::Unauthorized(_))
    ));
}

#[tokio::test]
async fn switching_to_an_inline_policy_and_custom_roles_by_key() {
    let emu = emulator().await;
    let c = client(&emu);
    let t = c
        .create_token(&reader_post("switch"))
        .await
        .expect("create");
    let stmt = Statement {
        resources: Some(vec!["proj/*:env/production".into()]),
        not_resources: None,
        actions: Some(vec!["*".into()]),
        not_actions: None,
        effect: Effect::Deny,
    };
    let patched = c
        .patch_token(
            &t.id,
            &[
                PatchOperation::remove("/role"),
                PatchOperation::replace(
                    "/inlineRole",
                    serde_json::to_value(vec![&stmt]).expect("json"),
                ),
            ],
        )
        .await
        .expect("switch to inline");
    assert_eq!(patched.role, None);
    assert_eq!(patched.inline_role, Some(vec![stmt]));

    // Custom roles: keys are accepted on write, IDs come back.
    let role = c.get_custom_role("deployer").await.expect("role by key");
    assert_eq!(
        c.get_custom_role(&role.id).await.expect("role by id").key,
        "deployer"
    );
    let created = c
        .create_token(&AccessTokenPost {
            name: Some("custom".into()),
            custom_role_ids: Some(vec!["deployer".into()]),
            ..Default::default()
        })
        .await
        .expect("create with custom role key");
    assert_eq!(created.custom_role_ids, Some(vec![role.id.clone()]));
    assert_eq!(created.role, None);
    assert!(
        c.get_custom_role("no-such-role")
            .await
            .expect_err("404")
            .is_not_found()
    );
}

#[tokio::test]
async fn reset_without_expiry_kills_the_old_key_at_once() {
    let emu = emulator().await;
    let c = client(&emu);
    let t = c
        .create_token(&AccessTokenPost {
            role: Some(BaseRole::Admin),
            ..reader_post("r")
        })
        .await
        .expect("create");
    let old = t.token.expect("secret");
    let reset = c.reset_token(&t.id, None).await.expect("reset");
    let new = reset.token.expect("new secret");
    assert_ne!(new.expose(), old.expose());
    assert_eq!(reset.id, t.id);
    let with_old = Client::new(config(&emu, old.expose())).expect("client");
    assert!(matches!(
        with_old.get_token(&t.id).await,
        Err(Error::Unauthorized(_))
    ));
    let with_new = Client::new(config(&emu, new.expose())).expect("client");
    with_new.get_token(&t.id).await.expect("new key works");
    assert_eq!(emu.requests().last().map(|r| r.query.clone()), Some(None));
}

#[tokio::test]
async fn reset_with_expiry_keeps_the_old_key_until_then_on_the_emulated_clock() {
    let emu = emulator().await;
    let c = client(&emu);
    let t = c
        .create_token(&AccessTokenPost {
            role: Some(BaseRole::Admin),
            ..reader_post("r")
        })
        .await
        .expect("create");
    let old = t.token.expect("secret");
    let expiry = emu.now_ms() + 3_600_000;
    let reset = c.reset_token(&t.id, Some(expiry)).await.expect("reset");
    let reset_req = emu
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with("/reset"))
        .expect("logged");
    assert_eq!(reset_req.query, Some(format!("expiry={expiry}")));

    let with_old = Client::new(config(&emu, old.expose())).expect("client");
    let with_new = Client::new(config(&emu, reset.token.expect("new").expose())).expect("client");
    with_old
        .get_token(&t.id)
        .await
        .expect("old key still valid");
    emu.advance_clock(Duration::from_secs(3_599));
    with_old
        .get_token(&t.id)
        .await
        .expect("old key valid a second before expiry");
    emu.advance_clock(Duration::from_secs(1));
    assert!(matches!(
        with_old.get_token(&t.id).await,
        Err(Error::Unauthorized(_))
    ));
    with_new
        .get_token(&t.id)
        .await
        .expect("new key still valid");
}

// ---------------------------------------------------------------- pagination

#[tokio::test]
async fn list_all_pages_through_more_than_100_tokens() {
    let emu = emulator().await;
    emu.seed_tokens(
        130,
        SeedToken {
            service_token: true,
            ..Default::default()
        },
    )
    .expect("seed");
    emu.seed_tokens(
        7,
        SeedToken {
            member_email: Some("other@example.test".into()),
            ..Default::default()
        },
    )
    .expect("seed");
    let c = client(&emu);
    emu.clear_requests();

    let all = c.list_all_tokens(false).await.expect("list");
    // 130 service tokens + the admin personal and service admin tokens; not the other
    // member's 7 personal tokens.
    assert_eq!(all.len(), 132);
    let mut ids: Vec<_> = all.iter().map(|t| t.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 132, "no duplicates across pages");
    let queries: Vec<_> = emu.requests().into_iter().filter_map(|r| r.query).collect();
    assert_eq!(queries.len(), 6, "{queries:?}");
    assert_eq!(queries[0], "limit=25&offset=0");
    assert_eq!(queries[5], "limit=25&offset=125");

    assert_eq!(c.list_all_tokens(true).await.expect("showAll").len(), 139);

    let page = c
        .list_tokens_page(ListParams {
            show_all: true,
            limit: 25,
            offset: 125,
        })
        .await
        .expect("page");
    assert_eq!(page.total_count, Some(139));
    assert_eq!(page.items.len(), 14);
    assert!(page.next_href().is_none());
    let first = c
        .list_tokens_page(ListParams {
            show_all: false,
            limit: 25,
            offset: 0,
        })
        .await
        .expect("page");
    assert_eq!(first.next_href(), Some("/api/v2/tokens?limit=25&offset=25"));
}

// ---------------------------------------------------------------- error statuses

#[tokio::test]
async fn every_error_status_maps_to_its_variant_with_a_hint() {
    let emu = emulator().await;
    let c = client(&emu);
    let t = c
        .create_token(&reader_post("target"))
        .await
        .expect("create");

    // 400
    let e = c
        .create_token(&AccessTokenPost {
            custom_role_ids: Some(vec!["deployer".into()]),
            ..reader_post("two")
        })
        .await
        .expect_err("400");
    assert!(matches!(e, Error::InvalidRequest(_)), "{e}");
    assert_eq!(e.detail().map(|d| d.code.as_str()), Some("invalid_request"));

    // 401, naming the credential source
    let mut bad = config(&emu, "api-00000000-0000-4000-8000-000000000000");
    bad.credential_source = "the LAUNCHDARKLY_ACCESS_TOKEN environment variable".into();
    let e = Client::new(bad)
        .expect("client")
        .get_token(&t.id)
        .await
        .expect_err("401");
    assert!(matches!(e, Error::Unauthorized(_)));
    let text = e.to_string();
    assert!(
        text.contains("LAUNCHDARKLY_ACCESS_TOKEN") && text.contains("request id"),
        "{text}"
    );
    assert!(!text.contains("00000000-0000-4000"), "no secret in {text}");

    // 403: a reader token may not create tokens
    let reader = emu.seed_token(SeedToken::default()).expect("seed");
    let e = Client::new(config(&emu, &reader.secret))
        .expect("client")
        .create_token(&reader_post("x"))
        .await
        .expect_err("403");
    assert!(matches!(e, Error::Forbidden(_)));
    assert!(e.to_string().contains("createAccessToken"), "{e}");

    // 404
    assert!(
        c.delete_token("0123456789abcdef01234567")
            .await
            .expect_err("404")
            .is_not_found()
    );

    // 409: retried a bounded number of times, then reported
    emu.set_faults(Faults {
        conflict_next_patches: 2,
        ..Faults::default()
    });
    c.patch_token(
        &t.id,
        &[PatchOperation::replace("/name", "after conflicts")],
    )
    .await
    .expect("409 retried");
    emu.set_faults(Faults {
        conflict_next_patches: 10,
        ..Faults::default()
    });
    emu.clear_requests();
    let e = c
        .patch_token(&t.id, &[PatchOperation::replace("/name", "x")])
        .await
        .expect_err("409");
    assert!(matches!(e, Error::Conflict(_)), "{e}");
    assert_eq!(
        count(&emu, "PATCH", "/api/v2/tokens"),
        4,
        "1 attempt + 3 conflict retries"
    );
    emu.set_faults(Faults::default());

    // 422: remove of an absent field
    let e = c
        .patch_token(&t.id, &[PatchOperation::remove("/inlineRole")])
        .await
        .expect_err("422");
    assert!(matches!(e, Error::PatchFailed(_)), "{e}");

    // 429: the reset is further away than the overall deadline → reported at once
    emu.set_faults(Faults {
        rate_limit: Some(1),
        rate_limit_window_ms: 600_000,
        ..Faults::default()
    });
    let mut cfg = config(&emu, emu.admin_key());
    cfg.overall_timeout = Duration::from_secs(2);
    let limited = Client::new(cfg).expect("client");
    limited.get_token(&t.id).await.expect("first request fits");
    let e = limited.get_token(&t.id).await.expect_err("429");
    assert!(matches!(e, Error::RateLimited(_)), "{e}");
    assert!(e.to_string().contains("Rate limited"), "{e}");

    // 5xx on a safe request: retried, then reported with the attempt count
    let mut cfg = config(&emu, emu.admin_key());
    cfg.retry.max_retries = Some(2);
    emu.set_faults(Faults {
        error_rate: 1.0,
        error_status: 502,
        ..Faults::default()
    });
    emu.clear_requests();
    let e = Client::new(cfg)
        .expect("client")
        .get_token(&t.id)
        .await
        .expect_err("502");
    assert!(matches!(e, Error::Server(_)), "{e}");
    assert_eq!(e.detail().map(|d| d.attempts), Some(3));
    assert_eq!(count(&emu, "GET", "/api/v2/tokens"), 3);

    // 501 is never retried
    emu.set_faults(Faults {
        error_rate: 1.0,
        error_status: 501,
        ..Faults::default()
    });
    emu.clear_requests();
    assert!(matches!(c.get_token(&t.id).await, Err(Error::Server(_))));
    assert_eq!(count(&emu, "GET", "/api/v2/tokens"), 1);
}

// ---------------------------------------------------------------- retries and faults

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
        rate_limit_window_ms: 150,
        ..Faults::default()
    });
    emu.clear_requests();
    for _ in 0..12 {
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

// ---------------------------------------------------------------- OpenAPI conformance

async fn raw(
    emu: &EmulatorHandle,
    method: reqwest::Method,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> (u16, Option<Value>) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{}", emu.base_url(), path))
        .header("Authorization", key);
    if let Some(b) = body {
        req = req
            .header("Content-Type", "application/json")
            .body(b.to_string());
    }
    let resp = req.send().await.expect("response");
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.expect("body");
    let value = if bytes.is_empty() {
        None
    } else {
        Some(serde_json::from_slice(&bytes).expect("JSON body"))
    };
    (status, value)
}

/// (OpenAPI path template, method, concrete path, credential, body, expected status)
type Case<'a> = (
    &'a str,
    reqwest::Method,
    String,
    &'a str,
    Option<Value>,
    u16,
);

#[tokio::test]
async fn every_emulator_response_validates_against_the_openapi_schemas() {
    let spec = openapi::OpenApi::load();
    let emu = emulator().await;
    let admin = emu.admin_key().to_owned();
    let reader = emu.seed_token(SeedToken::default()).expect("seed").secret;
    emu.seed_tokens(
        3,
        SeedToken {
            member_email: Some("o@example.test".into()),
            ..Default::default()
        },
    )
    .expect("seed");
    let (_, created) = raw(&emu, reqwest::Method::POST, "/api/v2/tokens", &admin, Some(json!({"name": "a", "inlineRole": [{"effect": "allow", "actions": ["*"], "resources": ["proj/*"]}]}))).await;
    let id = created
        .as_ref()
        .and_then(|v| v["_id"].as_str())
        .expect("id")
        .to_owned();
    let tok = format!("/api/v2/tokens/{id}");
    let reset = format!("{tok}/reset");
    let missing = "/api/v2/tokens/0123456789abcdef01234567";
    use reqwest::Method as M;
    let cases: Vec<Case> = vec![
        (
            "/api/v2/tokens",
            M::GET,
            "/api/v2/tokens?showAll=true&limit=2".into(),
            &admin,
            None,
            200,
        ),
        (
            "/api/v2/tokens",
            M::GET,
            "/api/v2/tokens".into(),
            "nope",
            None,
            401,
        ),
        (
            "/api/v2/tokens",
            M::POST,
            "/api/v2/tokens".into(),
            &admin,
            Some(json!({"role": "writer", "serviceToken": true, "customRoleIds": []})),
            201,
        ),
        (
            "/api/v2/tokens",
            M::POST,
            "/api/v2/tokens".into(),
            &admin,
            Some(json!({"customRoleIds": ["ci-reader"]})),
            201,
        ),
        (
            "/api/v2/tokens",
            M::POST,
            "/api/v2/tokens".into(),
            &admin,
            Some(json!({"role": "owner"})),
            400,
        ),
        (
            "/api/v2/tokens",
            M::POST,
            "/api/v2/tokens".into(),
            &reader,
            Some(json!({"role": "reader"})),
            403,
        ),
        (
            "/api/v2/tokens/{id}",
            M::GET,
            tok.clone(),
            &admin,
            None,
            200,
        ),
        (
            "/api/v2/tokens/{id}",
            M::GET,
            missing.into(),
            &admin,
            None,
            404,
        ),
        (
            "/api/v2/tokens/{id}",
            M::PATCH,
            tok.clone(),
            &admin,
            Some(json!([{"op": "replace", "path": "/description", "value": "d"}])),
            200,
        ),
        (
            "/api/v2/tokens/{id}",
            M::PATCH,
            tok.clone(),
            &admin,
            Some(json!([{"op": "remove", "path": "/role"}])),
            422,
        ),
        (
            "/api/v2/tokens/{id}",
            M::PATCH,
            tok.clone(),
            &admin,
            Some(json!([{"op": "replace", "path": "/serviceToken", "value": true}])),
            400,
        ),
        (
            "/api/v2/tokens/{id}/reset",
            M::POST,
            reset.clone(),
            &admin,
            None,
            200,
        ),
        (
            "/api/v2/tokens/{id}/reset",
            M::POST,
            format!("{missing}/reset"),
            &admin,
            None,
            404,
        ),
        (
            "/api/v2/tokens/{id}",
            M::DELETE,
            tok.clone(),
            &reader,
            None,
            403,
        ),
        (
            "/api/v2/tokens/{id}",
            M::DELETE,
            tok.clone(),
            &admin,
            None,
            204,
        ),
        (
            "/api/v2/tokens/{id}",
            M::DELETE,
            tok.clone(),
            &admin,
            None,
            404,
        ),
    ];
    for (template, method, path, key, body, expected) in cases {
        let label = format!("{method} {path} → {expected}");
        let (status, value) = raw(&emu, method.clone(), &path, key, body).await;
        assert_eq!(status, expected, "{label}: {value:?}");
        assert!(
            spec.documented_statuses(template, method.as_str())
                .contains(&status),
            "{label}: status documented"
        );
        match (
            spec.response_schema(template, method.as_str(), status),
            value,
        ) {
            (Some(schema), Some(v)) => {
                if let Err(errors) = spec.validate(schema, &v) {
                    panic!("{label}: {errors:?}\n{v}");
                }
            }
            (None, None) => {}
            (s, v) => panic!("{label}: schema {s:?} vs body {v:?}"),
        }
    }
    // 409 and 429 through the fault knobs.
    let (_, created) = raw(
        &emu,
        M::POST,
        "/api/v2/tokens",
        &admin,
        Some(json!({"role": "reader"})),
    )
    .await;
    let tok = format!(
        "/api/v2/tokens/{}",
        created
            .as_ref()
            .and_then(|v| v["_id"].as_str())
            .expect("id")
    );
    emu.set_faults(Faults {
        conflict_next_patches: 1,
        ..Faults::default()
    });
    let (status, v) = raw(
        &emu,
        M::PATCH,
        &tok,
        &admin,
        Some(json!([{"op": "replace", "path": "/name", "value": "n"}])),
    )
    .await;
    assert_eq!(status, 409);
    spec.validate(
        spec.response_schema("/api/v2/tokens/{id}", "PATCH", 409)
            .expect("schema"),
        &v.expect("body"),
    )
    .expect("409 body");
    emu.set_faults(Faults {
        rate_limit: Some(0),
        rate_limit_window_ms: 600_000,
        ..Faults::default()
    });
    for (template, method, path) in [
        ("/api/v2/tokens", M::GET, "/api/v2/tokens".to_owned()),
        ("/api/v2/tokens/{id}", M::GET, tok.clone()),
    ] {
        let (status, v) = raw(&emu, method.clone(), &path, &admin, None).await;
        assert_eq!(status, 429);
        spec.validate(
            spec.response_schema(template, method.as_str(), 429)
                .expect("schema"),
            &v.expect("body"),
        )
        .expect("429 body");
    }
}

#[test]
fn every_client_request_body_validates_against_the_openapi_schemas() {
    let spec = openapi::OpenApi::load();
    let posts = [
        reader_post("r"),
        AccessTokenPost {
            name: Some("c".into()),
            custom_role_ids: Some(vec!["x".into()]),
            service_token: Some(true),
            default_api_version: Some(20240415),
            description: Some("d".into()),
            ..Default::default()
        },
        AccessTokenPost {
            inline_role: Some(vec![Statement {
                resources: None,
                not_resources: Some(vec!["proj/*".into()]),
                actions: None,
                not_actions: Some(vec!["*".into()]),
                effect: Effect::Allow,
            }]),
            ..Default::default()
        },
    ];
    for p in &posts {
        let req = request::create_token(p).expect("request");
        let schema = spec
            .request_schema("/api/v2/tokens", "POST")
            .expect("schema");
        spec.validate(schema, req.body.as_ref().expect("body"))
            .unwrap_or_else(|e| panic!("{p:?}: {e:?}"));
    }
    let ops = [
        PatchOperation::replace("/name", "n"),
        PatchOperation::remove("/role"),
        PatchOperation::replace("/customRoleIds", json!(["a", "b"])),
    ];
    let req = request::patch_token("id", &ops).expect("request");
    let schema = spec
        .request_schema("/api/v2/tokens/{id}", "PATCH")
        .expect("schema");
    spec.validate(schema, req.body.as_ref().expect("body"))
        .expect("patch body");
    // Reset sends no body; expiry is the documented query parameter.
    let r = request::reset_token("id", Some(5));
    assert!(r.body.is_none());
    assert_eq!(r.query, vec![("expiry", "5".to_owned())]);
    // The validator itself rejects wrong shapes (so the checks above can fail).
    assert!(spec.validate(schema, &json!([{"op": "replace"}])).is_err());
    assert!(
        spec.validate(&spec.component("Token"), &json!({"_id": "x"}))
            .is_err()
    );
    assert!(
        spec.validate(
            &spec.component("AccessTokenPost"),
            &json!({"role": "owner"})
        )
        .is_err()
    );
    assert!(
        spec.validate(
            &spec.component("AccessTokenPost"),
            &json!({"rol": "reader"})
        )
        .is_err()
    );
}

// ---------------------------------------------------------------- emulator strictness

#[tokio::test]
async fn the_emulator_rejects_what_the_docs_leave_open() {
    let emu = emulator().await;
    let admin = emu.admin_key().to_owned();
    let bad_bodies = [
        json!({"role": "reader", "unknown": 1}),
        json!({"role": "reader", "name": 3}),
        json!({"role": "no_access"}),
        json!({"role": "reader", "inlineRole": [{"effect": "allow", "actions": ["*"], "resources": ["a"]}]}),
        json!({"inlineRole": [{"effect": "allow", "actions": ["*"], "resources": ["a"], "notResources": ["b"]}]}),
        json!({"inlineRole": [{"effect": "allow", "actions": ["*"]}]}),
        json!({"inlineRole": [{"effect": "perhaps", "actions": ["*"], "resources": ["a"]}]}),
        json!({"customRoleIds": ["not-a-role"]}),
        json!("role"),
    ];
    for body in bad_bodies {
        let (status, v) = raw(
            &emu,
            reqwest::Method::POST,
            "/api/v2/tokens",
            &admin,
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, 400, "{body} → {v:?}");
        assert_eq!(
            v.as_ref().and_then(|v| v["code"].as_str()),
            Some("invalid_request")
        );
    }
    let (status, _) = raw(
        &emu,
        reqwest::Method::GET,
        "/api/v2/tokens?limit=0",
        &admin,
        None,
    )
    .await;
    assert_eq!(status, 400);
    // Unknown routes: 404, but never LaunchDarkly's `not_found` body (a wrong base URL must
    // not look like a deleted token).
    let resp = reqwest::Client::new()
        .get(format!("{}/api/v2/nothing", emu.base_url()))
        .header("Authorization", &admin)
        .send()
        .await
        .expect("response");
    assert_eq!(resp.status().as_u16(), 404);
    let body = resp.text().await.expect("body");
    assert!(
        serde_json::from_str::<Value>(&body).is_err() && body.contains("/api/v2/nothing"),
        "{body}"
    );
    let (status, _) = raw(&emu, reqwest::Method::PUT, "/api/v2/tokens", &admin, None).await;
    assert_eq!(status, 405);
    // Reset also accepts {"expiry": n} in a body (what Terraform v2 sent).
    let t = emu.seed_token(SeedToken::default()).expect("seed");
    let expiry = emu.now_ms() + 60_000;
    let (status, _) = raw(
        &emu,
        reqwest::Method::POST,
        &format!("/api/v2/tokens/{}/reset", t.id),
        &admin,
        Some(json!({"expiry": expiry})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        emu.token(&t.id).expect("token").previous_keys[0].expires_at_ms,
        expiry
    );
}

#[tokio::test]
async fn admin_endpoints_seed_advance_fault_and_log() {
    let emu = emulator().await;
    let admin = emu.admin_key().to_owned();
    let (status, _) = raw(
        &emu,
        reqwest::Method::GET,
        "/_emulator/tokens",
        "api-wrong",
        None,
    )
    .await;
    assert_eq!(status, 401);
    let (status, v) = raw(
        &emu,
        reqwest::Method::POST,
        "/_emulator/tokens",
        &admin,
        Some(json!({"count": 3, "memberEmail": "x@example.test", "serviceToken": false})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(v.as_ref().and_then(Value::as_array).map(Vec::len), Some(3));
    let (_, v) = raw(
        &emu,
        reqwest::Method::GET,
        "/_emulator/tokens",
        &admin,
        None,
    )
    .await;
    let all = v.expect("tokens");
    assert_eq!(all.as_array().map(Vec::len), Some(5));
    assert!(
        all[0]["secret"]
            .as_str()
            .is_some_and(|s| s.starts_with("api-"))
    );
    let before = emu.now_ms();
    let (_, v) = raw(
        &emu,
        reqwest::Method::POST,
        "/_emulator/clock",
        &admin,
        Some(json!({"advanceMs": 86_400_000})),
    )
    .await;
    assert!(
        v.and_then(|v| v["nowMs"].as_i64())
            .is_some_and(|n| n >= before + 86_400_000)
    );
    let (status, _) = raw(
        &emu,
        reqwest::Method::PUT,
        "/_emulator/faults",
        &admin,
        Some(json!({"errorRate": 1.0, "errorStatus": 500})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = raw(&emu, reqwest::Method::GET, "/api/v2/tokens", &admin, None).await;
    assert_eq!(status, 500);
    let (status, _) = raw(
        &emu,
        reqwest::Method::PUT,
        "/_emulator/faults",
        &admin,
        Some(json!({"bogus": 1})),
    )
    .await;
    assert_eq!(status, 400);
    let (_, v) = raw(
        &emu,
        reqwest::Method::GET,
        "/_emulator/requests",
        &admin,
        None,
    )
    .await;
    let log = v.expect("log");
    assert_eq!(
        log.as_array().map(Vec::len),
        Some(1),
        "admin calls are not logged: {log}"
    );
    assert_eq!(log[0]["status"], 500);
}

#[tokio::test]
async fn state_survives_a_restart_with_a_state_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    let cfg = EmulatorConfig {
        state_file: Some(path.clone()),
        ..EmulatorConfig::default()
    };
    let emu = Emulator::start(cfg.clone()).await.expect("start");
    let admin = emu.admin_key().to_owned();
    let created = client(&emu)
        .create_token(&reader_post("kept"))
        .await
        .expect("create");
    emu.advance_clock(Duration::from_secs(3600));
    let now = emu.now_ms();
    emu.shutdown().await.expect("shutdown");

    let emu = Emulator::start(cfg).await.expect("restart");
    assert_eq!(emu.admin_key(), admin, "generated admin key reused");
    assert!(emu.now_ms() >= now, "clock offset persisted");
    let secret = created.token.expect("secret");
    let as_token = Client::new(config(&emu, secret.expose())).expect("client");
    assert_eq!(
        as_token
            .get_token(&created.id)
            .await
            .expect("still there")
            .name
            .as_deref(),
        Some("kept")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_429_every_caller_pauses_until_the_reset_no_thundering_herd() {
    let emu = emulator().await;
    let c = client(&emu);
    let seeded = emu.seed_tokens(40, SeedToken::default()).expect("seed");
    emu.set_faults(Faults {
        rate_limit: Some(8),
        rate_limit_window_ms: 300,
        ..Faults::default()
    });
    emu.clear_requests();
    let calls = seeded.iter().map(|t| {
        let c = c.clone();
        let id = t.id.clone();
        async move { c.get_token(&id).await }
    });
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "every call completes");
    let log = emu.requests();
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
