//! The local LaunchDarkly API emulator: an axum server implementing the access-token API and
//! the custom-role lookup the way LaunchDarkly documents them, strict where the docs are
//! silent, with a clock tests can advance, fault injection, a request log, seeding, and
//! optional persistence. Used in-process by tests ([`Emulator::start`]) and as the
//! `launchdarkly-emulator` binary. See `docs/emulator.md`.

mod admin;
mod api;
pub mod clock;
pub mod faults;
pub mod log;
mod middleware;
mod respond;
mod shared;
pub mod store;
mod validate;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::{get, post};
use serde::Deserialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use faults::{Faults, LostResponse, RateLimitStyle};
pub use log::RequestRecord;
pub use store::{ACCOUNT_ID, ADMIN_MEMBER_ID, EmulatedToken, Member};

// The API models are shared with the client; nothing else of it is.
use clock::Clock;
use faults::FaultState;
use launchdarkly_api::{models, secret};
use models::{API_VERSION, CustomRole, Link, Links};
use shared::{Shared, lock};
use store::{Store, new_object_id, new_secret, stable_object_id};

/// Name of the seeded admin tokens.
const ADMIN_TOKEN_NAME: &str = "emulator admin";
const SERVICE_ADMIN_TOKEN_NAME: &str = "emulator service admin";
/// Email of the member owning the admin keys.
pub const ADMIN_EMAIL: &str = "admin@emulator.test";

/// How to start the emulator.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Address to bind (default `127.0.0.1:0`, an ephemeral port).
    pub bind: SocketAddr,
    /// Admin personal tokens to seed (their secrets); one is generated when empty. These keys
    /// also unlock the `/_emulator/` endpoints.
    pub admin_keys: Vec<String>,
    /// Custom roles `(key, name)`; their IDs are derived from the key.
    pub custom_roles: Vec<(String, String)>,
    /// Initial fault knobs.
    pub faults: Faults,
    /// Save state here after every change and load it at start.
    pub state_file: Option<PathBuf>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            admin_keys: Vec::new(),
            custom_roles: vec![
                (String::from("ci-reader"), String::from("CI reader")),
                (String::from("deployer"), String::from("Deployer")),
                (String::from("auditor"), String::from("Auditor")),
            ],
            faults: Faults::default(),
            state_file: None,
        }
    }
}

/// A token to seed directly (bypassing the API).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct SeedToken {
    /// Owning member's email (created if unknown); default: the admin member.
    pub member_email: Option<String>,
    /// Service token instead of personal.
    pub service_token: bool,
    /// Base role (default `reader` unless custom roles are given).
    pub role: Option<String>,
    /// Custom role keys or IDs.
    pub custom_role_ids: Vec<String>,
    /// Name.
    pub name: Option<String>,
    /// A fixed secret (default: a new `api-<uuid>`).
    pub secret: Option<String>,
}

/// Adds a token to the store.
pub(crate) fn seed(
    store: &mut Store,
    spec: &SeedToken,
    now_ms: i64,
) -> Result<EmulatedToken, String> {
    let member_id = match &spec.member_email {
        None => String::from(ADMIN_MEMBER_ID),
        Some(email) => store.member_by_email(email),
    };
    let custom_role_ids = spec
        .custom_role_ids
        .iter()
        .map(|k| {
            store
                .resolve_role(k)
                .ok_or_else(|| format!("unknown custom role {k:?}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let role = match (&spec.role, custom_role_ids.is_empty()) {
        (Some(r), _) => Some(r.clone()),
        (None, true) => Some(String::from("reader")),
        (None, false) => None,
    };
    let token = EmulatedToken {
        id: new_object_id(),
        member_id,
        name: spec.name.clone(),
        description: None,
        role,
        custom_role_ids,
        inline_role: Vec::new(),
        service_token: spec.service_token,
        default_api_version: API_VERSION,
        creation_date: now_ms,
        last_modified: now_ms,
        last_used: None,
        secret: spec.secret.clone().unwrap_or_else(new_secret),
        previous_keys: Vec::new(),
    };
    store.tokens.push(token.clone());
    Ok(token)
}

fn ensure_admin_token(store: &mut Store, secret: &str, service: bool, name: &str, now: i64) {
    if store.tokens.iter().any(|t| t.secret == secret) {
        return;
    }
    let spec = SeedToken {
        service_token: service,
        role: Some(String::from("admin")),
        name: Some(name.to_owned()),
        secret: Some(secret.to_owned()),
        ..SeedToken::default()
    };
    // Cannot fail: no custom roles are involved.
    let _ = seed(store, &spec, now);
}

/// The emulator.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Binds, seeds, and serves on the current tokio runtime until the handle is shut down
    /// (or dropped).
    pub async fn start(config: EmulatorConfig) -> std::io::Result<EmulatorHandle> {
        let loaded = match &config.state_file {
            Some(path) => Shared::load(path)?,
            None => None,
        };
        let mut store = loaded.unwrap_or_default();
        let clock = Clock::with_offset(store.clock_offset_ms);
        let now = clock.now_ms();
        store
            .members
            .entry(String::from(ADMIN_MEMBER_ID))
            .or_insert(Member {
                id: String::from(ADMIN_MEMBER_ID),
                email: String::from(ADMIN_EMAIL),
                role: String::from("admin"),
            });
        for (key, name) in &config.custom_roles {
            if !store.roles.iter().any(|r| &r.key == key) {
                let id = stable_object_id(key);
                let mut links = Links::new();
                links.insert(
                    String::from("self"),
                    Link::json(format!("/api/v2/roles/{id}")),
                );
                store.roles.push(CustomRole {
                    id,
                    key: key.clone(),
                    name: Some(name.clone()),
                    links: Some(links),
                });
            }
        }
        let mut admin_keys = config.admin_keys.clone();
        if admin_keys.is_empty() {
            // Reuse a persisted admin key when restarting from a state file.
            match store
                .tokens
                .iter()
                .find(|t| t.name.as_deref() == Some(ADMIN_TOKEN_NAME))
            {
                Some(t) => admin_keys.push(t.secret.clone()),
                None => admin_keys.push(new_secret()),
            }
        }
        for key in &admin_keys {
            ensure_admin_token(&mut store, key, false, ADMIN_TOKEN_NAME, now);
        }
        let service_admin_key = match store
            .tokens
            .iter()
            .find(|t| t.name.as_deref() == Some(SERVICE_ADMIN_TOKEN_NAME))
        {
            Some(t) => t.secret.clone(),
            None => {
                let key = new_secret();
                ensure_admin_token(&mut store, &key, true, SERVICE_ADMIN_TOKEN_NAME, now);
                key
            }
        };
        let shared = Arc::new(Shared {
            store: std::sync::Mutex::new(store),
            clock,
            faults: std::sync::Mutex::new(FaultState::new(config.faults.clone())),
            log: std::sync::Mutex::new(Vec::new()),
            seq: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            peak_in_flight: AtomicUsize::new(0),
            started: Instant::now(),
            admin_keys: admin_keys.clone(),
            state_file: config.state_file.clone(),
        });
        shared.persist(&lock(&shared.store));

        let api = Router::new()
            .route("/api/v2/tokens", get(api::list).post(api::create))
            .route(
                "/api/v2/tokens/{id}",
                get(api::get).patch(api::patch).delete(api::delete),
            )
            .route("/api/v2/tokens/{id}/reset", post(api::reset))
            .route("/api/v2/roles/{key}", get(api::role))
            .method_not_allowed_fallback(api::method_not_allowed)
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&shared),
                middleware::api_gate,
            ));
        let app = api
            .merge(admin::router())
            .fallback(api::not_found)
            .with_state(Arc::clone(&shared));

        let listener = tokio::net::TcpListener::bind(config.bind).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let result = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = &result {
                tracing::error!(error = %e, "emulator server stopped with an error");
            }
            result
        });
        tracing::info!(%addr, "LaunchDarkly emulator listening");
        Ok(EmulatorHandle {
            shared,
            addr,
            admin_key: admin_keys.first().cloned().unwrap_or_default(),
            service_admin_key,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct EmulatorHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    admin_key: String,
    service_admin_key: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
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

    /// The API request log.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.log).clone()
    }

    /// Empties the request log and the in-flight peak.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
        self.shared.peak_in_flight.store(0, Ordering::SeqCst);
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

    /// Stops accepting connections, finishes requests in progress, and waits.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(std::io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
