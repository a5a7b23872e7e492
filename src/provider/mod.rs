//! The LaunchDarkly provider: its configuration and the resource and data
//! source types it serves.

pub mod access_token;
pub mod config;
pub mod data_sources;
pub mod diagnostics;
pub mod duration;
pub mod ephemeral_token;
pub mod roles;
pub mod token_list;
pub mod token_snapshot;

use crate::client::{Client, ClientConfig};
use crate::framework::Diagnostic;
use crate::framework::{
    Ctx, DataSource, Diagnostics, EphemeralResource, ListResource, Provider, Resource, Schema,
    Value,
};
use async_trait::async_trait;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// Source address used by dev_overrides, mirrors and reattach.
pub const SOURCE_ADDRESS: &str = "registry.terraform.io/launchdarkly/launchdarkly";

/// Shared between the provider and its resources: settled at configure time.
#[derive(Default)]
pub struct Shared {
    pub settings: RwLock<Option<Arc<config::Settings>>>,
    pub client: RwLock<Option<Client>>,
    pub roles: roles::RoleCache,
    /// Tokens this process created or adopted (never candidates for adoption).
    pub known_ids: Mutex<HashSet<String>>,
    /// Whether Terraform has called `ConfigureProvider` in this process. Terraform validates
    /// each resource twice in `plan`/`apply`: in the validate walk (an unconfigured process)
    /// and again, configured, right before planning it. Warnings are emitted only in the
    /// first, so each appears once; errors in both.
    pub configured: AtomicBool,
    /// Whether the provider configuration had unknown values (e.g. `access_token` from a token
    /// being rotated): there is no client until apply, when Terraform configures again.
    pub deferred: AtomicBool,
    /// The token list read once per process for refreshes (issue 11, item 1).
    pub snapshot: Arc<token_snapshot::TokenSnapshot>,
}

impl Shared {
    /// The configured client, or the diagnostic explaining why there is none.
    pub fn client(&self) -> Result<Client, Diagnostic> {
        self.client
            .read()
            .ok()
            .and_then(|c| c.clone())
            .ok_or_else(diagnostics::not_configured)
    }

    /// Whether validation runs in the validate walk (warnings shown) rather than right
    /// before a plan, in a configured process (warnings already shown once).
    pub fn warnings_shown_elsewhere(&self) -> bool {
        self.configured.load(Ordering::Relaxed)
    }

    /// Whether the configuration is known only at apply (see `deferred`).
    pub fn is_deferred(&self) -> bool {
        self.deferred.load(Ordering::Relaxed)
    }

    pub fn remember(&self, id: &str) {
        if let Ok(mut k) = self.known_ids.lock() {
            k.insert(id.to_string());
        }
    }

    pub fn is_known(&self, id: &str) -> bool {
        self.known_ids
            .lock()
            .map(|k| k.contains(id))
            .unwrap_or(false)
    }
}

/// The provider's type name: the prefix of every resource type, and `@module`
/// `provider.launchdarkly` in the logs.
pub const TYPE_NAME: &str = "launchdarkly";

#[derive(Default)]
pub struct LaunchDarklyProvider {
    shared: Arc<Shared>,
}

impl LaunchDarklyProvider {
    pub fn new() -> LaunchDarklyProvider {
        LaunchDarklyProvider::default()
    }
}

#[async_trait]
impl Provider for LaunchDarklyProvider {
    fn type_name(&self) -> &'static str {
        TYPE_NAME
    }
    fn schema(&self) -> Schema {
        config::schema()
    }
    async fn validate(&self, config: &Value) -> Diagnostics {
        config::validate(config)
    }
    async fn configure(&self, _ctx: &Ctx, terraform_version: &str, config: &Value) -> Diagnostics {
        self.shared.configured.store(true, Ordering::Relaxed);
        let (resolved, d) = config::resolve(config, &|k| std::env::var(k).ok());
        match resolved {
            Some(config::Resolved::Ready(s)) => {
                let mut cc = ClientConfig::new(s.api_host.as_str(), s.credential.clone());
                cc.credential_source = match s.credential_source {
                    "oauth_token" => format!(
                        "the provider attribute oauth_token or {}",
                        config::ENV_OAUTH_TOKEN
                    ),
                    _ => format!(
                        "the provider attribute access_token or {}",
                        config::ENV_ACCESS_TOKEN
                    ),
                };
                cc.http_timeout = s.http_timeout;
                cc.max_concurrency = s.max_concurrency;
                cc.allow_insecure_http = s.allow_insecure_http;
                match Client::new(cc) {
                    Ok(client) => {
                        tracing::info!(
                            terraform_version,
                            api_host = %s.api_host,
                            credential = s.credential_source,
                            max_concurrency = s.max_concurrency,
                            "provider configured"
                        );
                        if let Ok(mut slot) = self.shared.client.write() {
                            *slot = Some(client);
                        }
                        if let Ok(mut slot) = self.shared.settings.write() {
                            *slot = Some(Arc::new(s));
                        }
                    }
                    Err(e) => {
                        let mut d = d;
                        d.error("Invalid provider configuration", e.to_string());
                        return d;
                    }
                }
            }
            Some(config::Resolved::Deferred) => {
                self.shared.deferred.store(true, Ordering::Relaxed);
                tracing::info!("provider configuration has unknown values; configuration deferred");
            }
            None => {}
        }
        d
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(access_token::AccessToken::new(
            self.shared.clone(),
        ))]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        data_sources::all(&self.shared)
    }
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![Arc::new(ephemeral_token::EphemeralToken::new(
            self.shared.clone(),
        ))]
    }
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![Arc::new(token_list::TokenList::new(self.shared.clone()))]
    }
}
