//! The handle to a running emulator: its address and keys, the clock, the fault knobs, the
//! request log, direct access to the store, and shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::faults::Faults;
use super::log::RequestRecord;
use super::models::CustomRole;
use super::seeding::{SeedToken, seed};
use super::shared::{Shared, lock};
use super::store::EmulatedToken;

/// A running emulator. Dropping it stops the server (the state file is still written in
/// the background; [`EmulatorHandle::shutdown`] waits for it).
#[derive(Debug)]
pub struct EmulatorHandle {
    pub(crate) shared: Arc<Shared>,
    pub(crate) addr: SocketAddr,
    pub(crate) admin_key: String,
    pub(crate) service_admin_key: String,
    pub(crate) shutdown: Option<oneshot::Sender<()>>,
    pub(crate) task: Option<JoinHandle<std::io::Result<()>>>,
}

impl EmulatorHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the `api_host` to give the client.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The admin personal token's secret (also the admin endpoints' key).
    pub fn admin_key(&self) -> &str {
        &self.admin_key
    }

    /// The seeded admin service token's secret.
    pub fn service_admin_key(&self) -> &str {
        &self.service_admin_key
    }

    /// The emulated time (epoch ms).
    pub fn now_ms(&self) -> i64 {
        self.shared.clock.now_ms()
    }

    /// Moves the emulated clock forward; returns the new time.
    pub fn advance_clock(&self, by: Duration) -> i64 {
        let now = self.shared.clock.advance(by);
        self.shared.persist(&lock(&self.shared.store));
        now
    }

    /// Replaces the fault knobs (restarting the rate-limit window).
    pub fn set_faults(&self, faults: Faults) {
        lock(&self.shared.faults).set(faults);
    }

    /// The current fault knobs (one-shot counters as consumed so far).
    pub fn faults(&self) -> Faults {
        lock(&self.shared.faults).faults.clone()
    }

    /// The API request log: the most recent records (at most
    /// `EmulatorConfig::max_logged_requests`), oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.log).records()
    }

    /// How many records the request log dropped (the oldest first) to stay within
    /// `EmulatorConfig::max_logged_requests`, since start or the last `clear_requests`.
    pub fn dropped_requests(&self) -> u64 {
        lock(&self.shared.log).dropped()
    }

    /// Empties the request log, its dropped count, and the in-flight peak.
    pub fn clear_requests(&self) {
        self.shared.clear_requests();
    }

    /// Most API requests handled at once since start (or the last `clear_requests`).
    pub fn peak_in_flight(&self) -> usize {
        self.shared.peak_in_flight.load(Ordering::SeqCst)
    }

    /// Every token, full secrets included.
    pub fn tokens(&self) -> Vec<EmulatedToken> {
        lock(&self.shared.store).tokens.clone()
    }

    /// The token with this ID.
    pub fn token(&self, id: &str) -> Option<EmulatedToken> {
        lock(&self.shared.store)
            .tokens
            .iter()
            .find(|t| t.id == id)
            .cloned()
    }

    /// The custom role fixtures.
    pub fn custom_roles(&self) -> Vec<CustomRole> {
        lock(&self.shared.store).roles.clone()
    }

    /// Adds a token directly.
    pub fn seed_token(&self, spec: SeedToken) -> Result<EmulatedToken, String> {
        let now = self.now_ms();
        let mut store = lock(&self.shared.store);
        let t = seed(&mut store, &spec, now)?;
        self.shared.persist(&store);
        Ok(t)
    }

    /// Adds `n` tokens directly.
    pub fn seed_tokens(&self, n: usize, spec: SeedToken) -> Result<Vec<EmulatedToken>, String> {
        let now = self.now_ms();
        let mut store = lock(&self.shared.store);
        let out = (0..n)
            .map(|_| seed(&mut store, &spec, now))
            .collect::<Result<Vec<_>, _>>()?;
        self.shared.persist(&store);
        Ok(out)
    }

    /// Waits until every change so far is written to the state file (at once without
    /// one). Writes happen in the background; this is for reading the file while the
    /// emulator runs.
    pub async fn flush_state(&self) {
        self.shared.flush_state().await;
    }

    /// Stops accepting connections, finishes requests in progress, writes the last state
    /// to the state file, and waits.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let served = match self.task.take() {
            Some(task) => task.await.map_err(std::io::Error::other).and_then(|r| r),
            None => Ok(()),
        };
        self.shared.flush_state().await;
        served
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
