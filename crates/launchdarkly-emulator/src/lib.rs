//! The local LaunchDarkly API emulator: an axum server implementing the access-token API and
//! the custom-role lookup the way LaunchDarkly documents them, strict where the docs are
//! silent, with a clock tests can advance, fault injection, a request log, seeding, and
//! optional persistence. Used in-process by tests ([`Emulator::start`]) and as the
//! `launchdarkly-emulator` binary. See `docs/emulator.md`.

mod admin;
mod api;
pub mod clock;
pub mod faults;
mod handle;
mod limit;
pub mod log;
mod middleware;
mod persist;
mod preload;
mod respond;
mod seeding;
mod shared;
pub mod store;
mod validate;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize};
use std::time::Instant;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use tokio::sync::oneshot;

pub use faults::{Faults, LostResponse, RateLimitStyle};
pub use handle::EmulatorHandle;
pub use limit::DEFAULT_MAX_BODY_BYTES;
pub use log::{DEFAULT_MAX_LOGGED_REQUESTS, RequestRecord};
pub use preload::{Preload, PreloadRole};
pub use seeding::SeedToken;
pub use store::{ACCOUNT_ID, ADMIN_MEMBER_ID, EmulatedToken, Member};

// The API models are shared with the client; nothing else of it is.
use clock::Clock;
use faults::FaultState;
use launchdarkly_api::{models, secret};
use log::RequestLog;
use persist::Persister;
use seeding::{ensure_admin_token, seed};
use shared::{Shared, lock};
use store::new_secret;

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
    /// Most request log records kept (the newest; older ones are dropped and counted).
    pub max_logged_requests: usize,
    /// Largest request body accepted, bytes; larger ones get 413.
    pub max_body_bytes: usize,
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
            max_logged_requests: DEFAULT_MAX_LOGGED_REQUESTS,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
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
            preload::add_role(&mut store, key, name);
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
            log: std::sync::Mutex::new(RequestLog::new(config.max_logged_requests)),
            seq: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            peak_in_flight: AtomicUsize::new(0),
            started: Instant::now(),
            admin_keys: admin_keys.clone(),
            max_body_bytes: config.max_body_bytes,
            persister: config.state_file.clone().map(Persister::start),
        });
        shared.persist(&lock(&shared.store));
        shared.flush_state().await;

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
                limit::body_limit,
            ))
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&shared),
                middleware::api_gate,
            ));
        let admin = admin::router().layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            limit::body_limit,
        ));
        let app = api
            .merge(admin)
            .fallback(api::not_found)
            // Bodies are capped by `body_limit` (with LaunchDarkly's error shape); this keeps
            // axum's own extractors to the same cap.
            .layer(DefaultBodyLimit::max(config.max_body_bytes))
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
