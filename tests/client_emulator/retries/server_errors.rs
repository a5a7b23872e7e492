//! Server errors and lost responses: a create is never repeated, a lost create is an
//! unknown outcome, and idempotent calls complete under 5xx and dropped connections.

use crate::*;

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
