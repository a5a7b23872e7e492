//! The emulator's resource bounds over HTTP: the request body cap (413 with LaunchDarkly's
//! error shape) and the bounded request log.

use launchdarkly_emulator::{
    DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_LOGGED_REQUESTS, Emulator, EmulatorConfig, EmulatorHandle,
};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn start(config: EmulatorConfig) -> EmulatorHandle {
    Emulator::start(config).await.expect("emulator starts")
}

fn small_bodies() -> EmulatorConfig {
    EmulatorConfig {
        max_body_bytes: 1024,
        ..EmulatorConfig::default()
    }
}

/// A valid create body padded with trailing spaces to exactly `len` bytes.
fn create_body(len: usize) -> String {
    let mut body = String::from(r#"{"name":"padded","role":"reader"}"#);
    let pad = len.saturating_sub(body.len());
    body.push_str(&" ".repeat(pad));
    body
}

async fn post(emu: &EmulatorHandle, path: &str, key: &str, body: String) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}{path}", emu.base_url()))
        .header("Authorization", key)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request")
}

async fn assert_too_large(response: reqwest::Response, max: usize) {
    assert_eq!(response.status().as_u16(), 413);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let body: Value = response.json().await.expect("JSON error body");
    assert_eq!(body["code"], "payload_too_large", "{body}");
    let message = body["message"].as_str().expect("message");
    assert!(message.contains(&max.to_string()), "{message}");
    assert!(body["id"].is_string(), "{body}");
}

#[tokio::test]
async fn an_over_size_body_gets_413_with_launchdarklys_error_shape_and_is_logged() {
    let emu = start(small_bodies()).await;
    let before = emu.tokens().len();
    let response = post(&emu, "/api/v2/tokens", emu.admin_key(), create_body(1025)).await;
    assert_too_large(response, 1024).await;
    assert_eq!(emu.tokens().len(), before, "nothing was created");
    let log = emu.requests();
    assert_eq!(log.last().map(|r| r.status), Some(413), "{log:?}");
    // The size is checked before the credential.
    let response = post(&emu, "/api/v2/tokens", "api-not-a-key", create_body(1025)).await;
    assert_too_large(response, 1024).await;
}

#[tokio::test]
async fn a_body_exactly_at_the_cap_is_accepted() {
    let emu = start(small_bodies()).await;
    let body = create_body(1024);
    assert_eq!(body.len(), 1024);
    let response = post(&emu, "/api/v2/tokens", emu.admin_key(), body).await;
    assert_eq!(response.status().as_u16(), 201);
}

#[tokio::test]
async fn a_chunked_body_over_the_cap_gets_413() {
    let emu = start(small_bodies()).await;
    let mut stream = tokio::net::TcpStream::connect(emu.addr())
        .await
        .expect("connect");
    // No Content-Length: the cap is found while reading the chunks.
    let chunk = "x".repeat(700);
    let request = format!(
        "POST /api/v2/tokens HTTP/1.1\r\nHost: emulator\r\nAuthorization: {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
         {len:x}\r\n{chunk}\r\n{len:x}\r\n{chunk}\r\n0\r\n\r\n",
        emu.admin_key(),
        len = chunk.len(),
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("write request");
    // The emulator closes the connection after the 413.
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .await
        .expect("read answer");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(r#""code":"payload_too_large""#), "{answer}");
}

#[tokio::test]
async fn the_admin_endpoints_cap_bodies_too() {
    let emu = start(small_bodies()).await;
    let body = format!(r#"{{"count": 1, "name": "{}"}}"#, "n".repeat(2000));
    let response = post(&emu, "/_emulator/tokens", emu.admin_key(), body).await;
    assert_too_large(response, 1024).await;
}

#[tokio::test]
async fn by_default_bodies_are_capped_at_256_kib() {
    assert_eq!(DEFAULT_MAX_BODY_BYTES, 256 * 1024);
    let emu = start(EmulatorConfig::default()).await;
    let ok = post(
        &emu,
        "/api/v2/tokens",
        emu.admin_key(),
        create_body(DEFAULT_MAX_BODY_BYTES),
    )
    .await;
    assert_eq!(ok.status().as_u16(), 201);
    let response = post(
        &emu,
        "/api/v2/tokens",
        emu.admin_key(),
        create_body(300 * 1024),
    )
    .await;
    assert_too_large(response, DEFAULT_MAX_BODY_BYTES).await;
}

async fn list(http: &reqwest::Client, emu: &EmulatorHandle) -> reqwest::Response {
    http.get(format!("{}/api/v2/tokens", emu.base_url()))
        .header("Authorization", emu.admin_key())
        .send()
        .await
        .expect("request")
}

async fn admin_dropped_header(emu: &EmulatorHandle) -> Option<String> {
    let response = reqwest::Client::new()
        .get(format!("{}/_emulator/requests", emu.base_url()))
        .header("Authorization", emu.admin_key())
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    response
        .headers()
        .get("x-emulator-dropped-requests")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[tokio::test]
async fn the_request_log_stays_bounded_and_keeps_the_newest_records() {
    let emu = start(EmulatorConfig {
        max_logged_requests: 5,
        ..EmulatorConfig::default()
    })
    .await;
    let http = reqwest::Client::new();
    for _ in 0..12 {
        assert_eq!(list(&http, &emu).await.status().as_u16(), 200);
    }
    let seqs: Vec<u64> = emu.requests().iter().map(|r| r.seq).collect();
    assert_eq!(seqs, vec![7, 8, 9, 10, 11]);
    assert_eq!(emu.dropped_requests(), 7);
    assert_eq!(admin_dropped_header(&emu).await.as_deref(), Some("7"));

    emu.clear_requests();
    assert!(emu.requests().is_empty());
    assert_eq!(emu.dropped_requests(), 0);
    assert_eq!(admin_dropped_header(&emu).await.as_deref(), Some("0"));
}

#[tokio::test]
async fn the_default_log_holds_a_500_request_scenario() {
    assert_eq!(DEFAULT_MAX_LOGGED_REQUESTS, 10_000);
    let emu = start(EmulatorConfig::default()).await;
    let http = reqwest::Client::new();
    for _ in 0..500 {
        assert_eq!(list(&http, &emu).await.status().as_u16(), 200);
    }
    let log = emu.requests();
    assert_eq!(log.len(), 500);
    assert_eq!(log.first().map(|r| r.seq), Some(0));
    assert_eq!(emu.dropped_requests(), 0);
}

#[tokio::test]
async fn delete_of_the_request_log_also_resets_the_in_flight_peak() {
    let emu = start(EmulatorConfig::default()).await;
    let http = reqwest::Client::new();
    assert_eq!(list(&http, &emu).await.status().as_u16(), 200);
    assert!(emu.peak_in_flight() >= 1);
    let cleared = http
        .delete(format!("{}/_emulator/requests", emu.base_url()))
        .header("Authorization", emu.admin_key())
        .send()
        .await
        .expect("request");
    assert_eq!(cleared.status().as_u16(), 204);
    assert!(emu.requests().is_empty());
    assert_eq!(emu.peak_in_flight(), 0, "the peak counts from the clear on");
}
