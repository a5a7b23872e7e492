//! The emulator itself: its strictness where the docs leave things open, the admin
//! endpoints, and persistence across a restart.

use super::*;

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
