//! Client throughput benchmark: requests per second through the real client and the
//! in-process emulator on loopback, and the client's own overhead per call (compared with
//! bare `reqwest` calls to the same endpoint). Run with `cargo bench --bench client_bench`;
//! without `--bench` (e.g. `cargo test --benches`) it does a quick smoke run.

use std::time::{Duration, Instant};

use launchdarkly_emulator::SeedToken;
use tfld::client::{Client, ClientConfig};

mod common;

fn per_call(elapsed: Duration, n: u32) -> f64 {
    elapsed.as_secs_f64() * 1e6 / f64::from(n)
}

fn main() {
    let n: u32 = if common::full_run() { 3_000 } else { 50 };
    common::with_emulator(|emu| async move {
        let token = emu.seed_token(SeedToken::default()).expect("seed");
        let client =
            Client::new(ClientConfig::new(emu.base_url(), emu.admin_key())).expect("client");
        let raw = reqwest::Client::new();
        let url = format!("{}/api/v2/tokens/{}", emu.base_url(), token.id);

        // Warm up connections.
        for _ in 0..20 {
            client.get_token(&token.id).await.expect("warm-up");
            raw.get(&url)
                .header("Authorization", emu.admin_key())
                .send()
                .await
                .expect("warm-up");
        }

        let start = Instant::now();
        for _ in 0..n {
            let resp = raw
                .get(&url)
                .header("Authorization", emu.admin_key())
                .header("LD-API-Version", "20240415")
                .send()
                .await
                .expect("raw");
            let _ = resp.bytes().await.expect("body");
        }
        let raw_elapsed = start.elapsed();

        let start = Instant::now();
        for _ in 0..n {
            client.get_token(&token.id).await.expect("get");
        }
        let client_elapsed = start.elapsed();

        let start = Instant::now();
        let calls = (0..n).map(|_| {
            let c = client.clone();
            let id = token.id.clone();
            async move { c.get_token(&id).await }
        });
        let results = futures::future::join_all(calls).await;
        let concurrent_elapsed = start.elapsed();
        assert!(results.iter().all(Result::is_ok));

        println!(
            "client_bench: {n} GET /api/v2/tokens/{{id}} calls each, loopback, in-process emulator"
        );
        println!(
            "  bare reqwest, sequential:        {:>8.0} req/s  {:>7.1} µs/call",
            f64::from(n) / raw_elapsed.as_secs_f64(),
            per_call(raw_elapsed, n)
        );
        println!(
            "  tfld client, sequential:         {:>8.0} req/s  {:>7.1} µs/call",
            f64::from(n) / client_elapsed.as_secs_f64(),
            per_call(client_elapsed, n)
        );
        println!(
            "  tfld client, concurrent (cap {}): {:>8.0} req/s",
            client.limiter().stats().max,
            f64::from(n) / concurrent_elapsed.as_secs_f64()
        );
        println!(
            "  client overhead per call:        {:>7.1} µs (client − bare reqwest, sequential)",
            per_call(client_elapsed, n) - per_call(raw_elapsed, n)
        );
        emu.shutdown().await.expect("shutdown");
    });
}
