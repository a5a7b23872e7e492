//! What both benchmarks share: the full-or-smoke switch and an in-process emulator on a
//! two-thread runtime.

use std::future::Future;

use launchdarkly_emulator::{Emulator, EmulatorConfig, EmulatorHandle};

/// Whether this is a full run (`cargo bench`, which passes `--bench`) rather than a quick
/// smoke run (`cargo test --benches`).
pub fn full_run() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Runs `bench` on a two-worker Tokio runtime against an emulator started with the default
/// configuration.
pub fn with_emulator<F, Fut>(bench: F)
where
    F: FnOnce(EmulatorHandle) -> Fut,
    Fut: Future<Output = ()>,
{
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let emu = Emulator::start(EmulatorConfig::default())
            .await
            .expect("emulator");
        bench(emu).await;
    });
}
