//! Data source benchmark: wall time to read 1,000 tokens through
//! `launchdarkly_access_tokens`' read function against the in-process
//! emulator with 20 ms injected latency per request, serial (provider
//! `max_concurrency = 1`: one page at a time) versus the concurrent page
//! fetch (`max_concurrency = 10`). Prints the figures.
//!
//! `cargo bench --bench data_source_bench` runs 5 iterations per mode;
//! without `--bench` (e.g. `cargo test --benches`) it runs one, quickly.
//! `BENCH_ITERATIONS=n` overrides either.

use std::sync::Arc;
use std::time::{Duration, Instant};

use launchdarkly_emulator::{Faults, SeedToken};
use tfld::framework::{Ctx, DataSource, Provider, Value};
use tfld::provider::LaunchDarklyProvider;

mod common;

const TOKENS: usize = 1_000;
const LATENCY_MS: u64 = 20;

async fn data_source(base_url: &str, key: &str, max_concurrency: i64) -> Arc<dyn DataSource> {
    let provider = LaunchDarklyProvider::new();
    let mut config = Value::null_object_of(&provider.schema().implied_type());
    config.set("api_host", Value::from(base_url));
    config.set("access_token", Value::from(key));
    config.set("max_concurrency", Value::int(max_concurrency));
    let d = provider.configure(&Ctx::default(), "bench", &config).await;
    assert!(!d.has_errors(), "configure: {d:?}");
    provider
        .data_sources()
        .into_iter()
        .find(|d| d.name() == "access_tokens")
        .expect("access_tokens data source")
}

fn main() {
    let iterations: u32 = std::env::var("BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if common::full_run() { 5 } else { 1 })
        .max(1);
    common::with_emulator(|emu| async move {
        // The emulator's own admin tokens count towards the 1,000.
        let own = emu.tokens().len();
        emu.seed_tokens(TOKENS.saturating_sub(own), SeedToken::default())
            .expect("seed");
        emu.set_faults(Faults {
            latency_ms: LATENCY_MS,
            ..Faults::default()
        });
        let pages = TOKENS.div_ceil(25);
        println!(
            "data_source_bench: {TOKENS} tokens ({pages} pages of 25), {LATENCY_MS} ms latency per request, {iterations} iteration(s) per mode"
        );
        let mut medians = vec![];
        for (mode, max_concurrency) in [("serial", 1), ("concurrent", 10)] {
            let ds = data_source(&emu.base_url(), emu.admin_key(), max_concurrency).await;
            let config = Value::null_object_of(&ds.schema().implied_type());
            let mut times: Vec<Duration> = vec![];
            for _ in 0..iterations {
                emu.clear_requests();
                let start = Instant::now();
                let (state, d) = ds.read(&Ctx::default(), config.clone()).await;
                let elapsed = start.elapsed();
                assert!(!d.has_errors(), "{mode}: {d:?}");
                let n = state
                    .get("tokens")
                    .and_then(Value::as_elements)
                    .map_or(0, <[Value]>::len);
                assert_eq!(n, TOKENS, "{mode}: every token read");
                assert_eq!(
                    emu.requests().len(),
                    pages + 1,
                    "{mode}: one request per page (+ the empty last page)"
                );
                times.push(elapsed);
            }
            times.sort();
            let median = times[times.len() / 2];
            medians.push(median);
            println!(
                "  {mode:<10} max_concurrency={max_concurrency:<2} median {:>7.1} ms  min {:>7.1} ms  max {:>7.1} ms",
                median.as_secs_f64() * 1e3,
                times[0].as_secs_f64() * 1e3,
                times[times.len() - 1].as_secs_f64() * 1e3,
            );
        }
        if let [serial, concurrent] = medians[..] {
            println!(
                "  speed-up {:.1}x (peak requests in flight at the emulator: {})",
                serial.as_secs_f64() / concurrent.as_secs_f64().max(1e-9),
                emu.peak_in_flight()
            );
        }
    });
}
