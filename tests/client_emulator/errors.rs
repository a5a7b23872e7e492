//! Every error status the API returns, mapped to its client error variant with a hint.

use super::*;

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
