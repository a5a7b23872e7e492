//! The LaunchDarkly provider: its configuration and the resource and data
//! source types it serves.

pub mod config;

use crate::framework::{Ctx, DataSource, Diagnostics, Provider, Resource, Schema, Value};
use async_trait::async_trait;
use std::sync::{Arc, RwLock};

/// Source address used by dev_overrides, mirrors and reattach.
pub const SOURCE_ADDRESS: &str = "registry.terraform.io/launchdarkly/launchdarkly";

/// Shared between the provider and its resources: settled at configure time.
#[derive(Default)]
pub struct Shared {
    pub settings: RwLock<Option<Arc<config::Settings>>>,
}

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
        "launchdarkly"
    }
    fn schema(&self) -> Schema {
        config::schema()
    }
    async fn validate(&self, config: &Value) -> Diagnostics {
        config::validate(config)
    }
    async fn configure(&self, _ctx: &Ctx, terraform_version: &str, config: &Value) -> Diagnostics {
        let (resolved, d) = config::resolve(config, &|k| std::env::var(k).ok());
        match resolved {
            Some(config::Resolved::Ready(s)) => {
                tracing::info!(terraform_version, api_host = %s.api_host, credential = s.credential_source, "provider configured");
                if let Ok(mut slot) = self.shared.settings.write() {
                    *slot = Some(Arc::new(s));
                }
            }
            Some(config::Resolved::Deferred) => {
                tracing::info!("provider configuration has unknown values; configuration deferred");
            }
            None => {}
        }
        d
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![]
    }
}
