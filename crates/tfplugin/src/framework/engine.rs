//! The engine between the protocol and a provider: one registry of every kind a provider
//! serves, and the policy that is the same for every provider — looking types up, the
//! state-upgrade path, the plan baseline, import and data-source result shapes, and
//! cancellation. The protocol layer only converts tfplugin5 messages to and from the
//! framework values these methods take and return. This file holds the engine itself
//! (construction, provider calls, cancellation); each family of kinds has a module below.

mod data_sources;
mod ephemeral;
mod list;
mod registry;
mod resources;
mod upgrade;

pub use list::Listed;
use registry::registry;
pub use registry::{Kind, Registry, unknown_type};
pub use resources::{Imported, plan_baseline};
pub use upgrade::RawState;

use super::config_rules::read_only_errors;
use super::diagnostics::Diagnostics;
use super::identity::IdentitySchema;
use super::provider::{
    Ctx, DataSource, EphemeralResource, ListResource, Opened, Outcome, Plan, Provider, Renewed,
    Resource, Served,
};
use super::value::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio_util::sync::CancellationToken;

/// Serves one [`Provider`]: every RPC of the protocol maps to one method here.
pub struct Engine {
    provider: Arc<dyn Provider>,
    provider_kind: Kind<dyn Provider>,
    resources: Registry<dyn Resource>,
    data_sources: Registry<dyn DataSource>,
    ephemeral: Registry<dyn EphemeralResource>,
    identities: BTreeMap<String, IdentitySchema>,
    lists: Registry<dyn ListResource>,
    stop: Mutex<CancellationToken>,
}

impl Engine {
    /// Registers the provider and every kind it serves, under `<type_name>_<name>`.
    pub fn new(provider: Arc<dyn Provider>) -> Engine {
        let prefix = provider.type_name();
        let resources: Registry<dyn Resource> = registry(prefix, provider.resources());
        let data_sources = registry(prefix, provider.data_sources());
        let ephemeral = registry(prefix, provider.ephemeral_resources());
        let identities = resources
            .iter()
            .filter_map(|(name, r)| r.imp.identity_schema().map(|i| (name.clone(), i)))
            .collect();
        let lists = registry(prefix, provider.list_resources());
        Engine {
            provider_kind: Kind::new(Arc::clone(&provider), provider.schema()),
            provider,
            resources,
            data_sources,
            ephemeral,
            identities,
            lists,
            stop: Mutex::new(CancellationToken::new()),
        }
    }

    /// The context for one call: cancelled when Terraform calls `Stop`.
    pub fn ctx(&self) -> Ctx {
        let cancel = self
            .stop
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Ctx { cancel }
    }

    /// `Stop`: cancels the calls in flight; later calls start afresh (a long-lived
    /// debug-mode process keeps serving).
    pub fn stop(&self) {
        let mut t = self.stop.lock().unwrap_or_else(PoisonError::into_inner);
        t.cancel();
        *t = CancellationToken::new();
    }

    /// Validates the provider block.
    pub async fn validate_provider(&self, config: &Value) -> Diagnostics {
        self.provider.validate(config).await
    }

    /// Configures the provider.
    pub async fn configure(&self, terraform_version: &str, config: &Value) -> Diagnostics {
        self.provider
            .configure(&self.ctx(), terraform_version, config)
            .await
    }
}

/// Every kind's validation of a configuration: read-only attributes it sets come first, then
/// the kind's own rules.
pub(crate) async fn check<T: ?Sized + Served>(kind: &Kind<T>, config: &Value) -> Diagnostics {
    let mut d = read_only_errors(&kind.schema.block, config);
    d.extend(kind.imp.validate(config).await);
    d
}

/// [`check`], or the diagnostic for a type the provider does not serve.
async fn validate<T: ?Sized + Served>(
    kind: Result<&Kind<T>, Diagnostics>,
    config: &Value,
) -> Diagnostics {
    match kind {
        Ok(k) => check(k, config).await,
        Err(d) => d,
    }
}

/// `value`, or none when the diagnostics hold an error (never a partial object).
fn unless_errors((value, d): (Value, Diagnostics)) -> (Option<Value>, Diagnostics) {
    if d.has_errors() {
        (None, d)
    } else {
        (Some(value), d)
    }
}

/// A result that is only diagnostics (for a type the provider does not serve).
macro_rules! only_diagnostics {
    ($($t:ty),*) => {$(
        impl From<Diagnostics> for $t {
            fn from(diagnostics: Diagnostics) -> $t {
                Self {
                    diagnostics,
                    ..Self::default()
                }
            }
        }
    )*};
}

only_diagnostics!(Outcome, Plan, Opened, Renewed, Imported);

#[cfg(test)]
mod tests;
