//! Client ↔ emulator integration tests: every operation and error status through the real
//! client against the in-process emulator, pagination, reset grace periods on the emulated
//! clock, retries and the limiter under injected faults, OpenAPI conformance of every
//! response and request body, the emulator's strictness, admin endpoints and persistence.
//! (The emulator binary's startup line and clean shutdown are tested in its own crate.)

#[path = "../support/openapi.rs"]
mod openapi;

mod conformance;
mod emulator;
mod errors;
mod operations;
mod retries;

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
