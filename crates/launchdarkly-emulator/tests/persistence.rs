//! The state file: written off the runtime, atomically, newest state last, and complete
//! when the emulator shuts down.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use launchdarkly_emulator::store::Store;
use launchdarkly_emulator::{Emulator, EmulatorConfig, SeedToken};

fn with_state_file(path: &Path) -> EmulatorConfig {
    EmulatorConfig {
        state_file: Some(path.to_owned()),
        ..EmulatorConfig::default()
    }
}

fn read_store(path: &Path) -> Store {
    let bytes = std::fs::read(path).expect("state file");
    serde_json::from_slice(&bytes).expect("a whole state")
}

fn named(n: usize) -> SeedToken {
    SeedToken {
        name: Some(format!("seeded-{n}")),
        ..SeedToken::default()
    }
}

#[tokio::test]
async fn the_state_file_is_written_when_start_returns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    let emu = Emulator::start(with_state_file(&path))
        .await
        .expect("start");
    let store = read_store(&path);
    assert!(
        store.tokens.iter().any(|t| t.secret == emu.admin_key()),
        "the admin token is saved"
    );
    emu.shutdown().await.expect("shutdown");
}

#[tokio::test]
async fn shutdown_leaves_the_latest_state_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    let emu = Emulator::start(with_state_file(&path))
        .await
        .expect("start");
    let mut ids = Vec::new();
    for n in 0..50 {
        ids.push(emu.seed_token(named(n)).expect("seed").id);
    }
    emu.advance_clock(Duration::from_secs(7200));
    emu.shutdown().await.expect("shutdown");

    let store = read_store(&path);
    for id in &ids {
        assert!(store.tokens.iter().any(|t| &t.id == id), "token {id} saved");
    }
    assert!(
        store.clock_offset_ms >= 7_200_000,
        "the last change (the clock) is saved: {}",
        store.clock_offset_ms
    );
}

#[tokio::test]
async fn flush_state_puts_the_newest_change_on_disk_while_running() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    let emu = Emulator::start(with_state_file(&path))
        .await
        .expect("start");
    let first = emu.seed_token(named(1)).expect("seed");
    let second = emu.seed_token(named(2)).expect("seed");
    emu.flush_state().await;
    let store = read_store(&path);
    let last_two: Vec<&str> = store
        .tokens
        .iter()
        .rev()
        .take(2)
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(last_two, vec![second.id.as_str(), first.id.as_str()]);
    emu.shutdown().await.expect("shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_never_sees_a_half_written_state_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("state.json");
    let emu = Emulator::start(with_state_file(&path))
        .await
        .expect("start");
    // Enough tokens that each save is tens of KiB.
    emu.seed_tokens(100, SeedToken::default()).expect("seed");
    emu.flush_state().await;

    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (stop, path) = (Arc::clone(&stop), path.clone());
        std::thread::spawn(move || {
            let mut reads = 0_u64;
            while !stop.load(Ordering::SeqCst) || reads == 0 {
                let bytes = std::fs::read(&path).expect("the state file always exists");
                if let Err(e) = serde_json::from_slice::<Store>(&bytes) {
                    return Err(format!("half-written state ({} bytes): {e}", bytes.len()));
                }
                reads += 1;
            }
            Ok(reads)
        })
    };
    let mut last = String::new();
    for n in 0..100 {
        last = emu.seed_token(named(n)).expect("seed").id;
        if n % 10 == 0 {
            emu.flush_state().await;
        }
    }
    emu.shutdown().await.expect("shutdown");
    stop.store(true, Ordering::SeqCst);
    let reads = reader.join().expect("reader thread");
    assert!(reads.is_ok(), "{reads:?}");
    let store = read_store(&path);
    assert_eq!(
        store.tokens.last().map(|t| t.id.as_str()),
        Some(last.as_str())
    );
}
