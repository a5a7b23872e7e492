//! The state every handler shares: the store behind a mutex, the clock, the fault knobs, the
//! request log, in-flight counters, the body cap, and persistence to the optional state
//! file.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use super::clock::Clock;
use super::faults::FaultState;
use super::log::RequestLog;
use super::persist::Persister;
use super::store::Store;

/// Shared emulator state.
#[derive(Debug)]
pub struct Shared {
    /// Members, roles, tokens.
    pub store: Mutex<Store>,
    /// The emulated clock.
    pub clock: Clock,
    /// Fault knobs and their state.
    pub faults: Mutex<FaultState>,
    /// API request log (the most recent records).
    pub log: Mutex<RequestLog>,
    /// Next log sequence number.
    pub seq: AtomicU64,
    /// API requests being handled now.
    pub in_flight: AtomicUsize,
    /// Most API requests handled at once.
    pub peak_in_flight: AtomicUsize,
    /// When the emulator started.
    pub started: Instant,
    /// Keys accepted on the admin endpoints.
    pub admin_keys: Vec<String>,
    /// Largest request body accepted, bytes.
    pub max_body_bytes: usize,
    /// The state file's writer, if state is saved.
    pub persister: Option<Persister>,
}

/// Locks a mutex, recovering the data if a previous holder panicked.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl Shared {
    /// Saves the store (and clock offset) to the state file, if configured: serializes it
    /// here (call it while holding the store lock, so snapshots are ordered like the changes)
    /// and leaves the disk write to the writer task. Failures are logged, not fatal.
    pub fn persist(&self, store: &Store) {
        let Some(persister) = &self.persister else {
            return;
        };
        let mut snapshot = store.clone();
        snapshot.clock_offset_ms = self.clock.offset_ms();
        match serde_json::to_vec_pretty(&snapshot) {
            Ok(bytes) => persister.submit(bytes),
            Err(e) => tracing::warn!(error = %e, "could not serialize emulator state"),
        }
    }

    /// Waits until every change saved so far is on disk.
    pub async fn flush_state(&self) {
        if let Some(persister) = &self.persister {
            persister.flush().await;
        }
    }

    /// Loads a saved store.
    pub fn load(path: &std::path::Path) -> std::io::Result<Option<Store>> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(std::io::Error::other),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Empties the request log, its dropped count, and the in-flight peak (the handle's
    /// `clear_requests` and `DELETE /_emulator/requests` alike).
    pub fn clear_requests(&self) {
        lock(&self.log).clear();
        self.peak_in_flight.store(0, Ordering::SeqCst);
    }

    /// Counts a request in; returns a guard that counts it out.
    pub fn enter(&self) -> InFlight<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight { shared: self }
    }
}

/// Decrements the in-flight count on drop (also when a request is cancelled).
#[derive(Debug)]
pub struct InFlight<'a> {
    shared: &'a Shared,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.shared.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}
