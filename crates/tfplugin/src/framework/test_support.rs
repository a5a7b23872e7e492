//! Test fixtures shared by the framework and protocol tests.

use std::sync::Arc;

use async_trait::async_trait;

use crate::framework::provider::{Ctx, DataSource, EphemeralResource, ListResource, Resource};
use crate::framework::{Block, Diagnostics, Provider, Schema, Value};

/// A provider with an empty schema that accepts any configuration and serves the kinds
/// it is given.
#[derive(Default)]
pub(crate) struct StubProvider {
    pub type_name: &'static str,
    pub resources: Vec<Arc<dyn Resource>>,
    pub data_sources: Vec<Arc<dyn DataSource>>,
    pub ephemeral_resources: Vec<Arc<dyn EphemeralResource>>,
    pub list_resources: Vec<Arc<dyn ListResource>>,
}

#[async_trait]
impl Provider for StubProvider {
    fn type_name(&self) -> &'static str {
        self.type_name
    }
    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block::default(),
        }
    }
    async fn validate(&self, _: &Value) -> Diagnostics {
        Diagnostics::new()
    }
    async fn configure(&self, _: &Ctx, _: &str, _: &Value) -> Diagnostics {
        Diagnostics::new()
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        self.resources.clone()
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        self.data_sources.clone()
    }
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        self.ephemeral_resources.clone()
    }
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        self.list_resources.clone()
    }
}
