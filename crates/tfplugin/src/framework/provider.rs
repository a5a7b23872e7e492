//! The traits a provider implements. The protocol layer decodes every
//! request against the right schema before calling these, so implementations
//! see framework values and return diagnostics, never protobuf types.

use super::config_rules::config_from_state;
use super::diagnostics::{Diagnostic, Diagnostics};
use super::identity::IdentitySchema;
use super::path::AttributePath;
use super::schema::Schema;
use super::value::Value;
use async_trait::async_trait;
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::SystemTime;
use tokio_util::sync::CancellationToken;

/// Per-call context: `cancel` fires when Terraform calls `Stop` (Ctrl-C).
#[derive(Clone, Debug, Default)]
pub struct Ctx {
    pub cancel: CancellationToken,
}

impl Ctx {
    /// Runs `fut` unless Terraform calls `Stop` first (then `None`; `fut` is
    /// dropped). Use it only where abandoning the work loses nothing.
    pub async fn or_cancelled<T>(&self, fut: impl std::future::Future<Output = T>) -> Option<T> {
        tokio::select! {
            biased;
            _ = self.cancel.cancelled() => None,
            out = fut => Some(out),
        }
    }
}

/// The diagnostic for work abandoned because of `Stop`.
pub fn cancelled_diagnostic() -> Diagnostic {
    Diagnostic::error(
        "Operation cancelled",
        "Terraform asked the provider to stop (Ctrl-C); the operation was abandoned before it finished. The state shows the last known values; the next plan reconciles them.",
    )
}

/// The methods every type a provider serves has, whatever its family, as the engine calls
/// them (see [`served_family!`]).
pub(crate) trait Served {
    fn name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate<'a>(&'a self, config: &'a Value) -> BoxFuture<'a, Diagnostics>;
}

/// Declares the trait of one family of types a provider serves (resources, data sources,
/// ephemeral and list resources): the family's own methods after the three every type has —
/// `name` (the type name without the provider prefix: `thing` for `example_thing`), `schema`
/// and `validate` (static checks of a configuration whose values may be unknown; none by
/// default) — and [`Served`] for the family's trait objects, through which the engine
/// registers and validates every family alike.
macro_rules! served_family {
    ($(#[$meta:meta])* pub trait $family:ident { $($own:tt)* }) => {
        $(#[$meta])*
        #[async_trait]
        pub trait $family: Send + Sync {
            /// Type name without the provider prefix (`thing` for `example_thing`).
            fn name(&self) -> &'static str;
            fn schema(&self) -> Schema;
            /// Static checks of a configuration (values may be unknown); none by default.
            async fn validate(&self, _config: &Value) -> Diagnostics {
                Diagnostics::new()
            }
            $($own)*
        }

        impl Served for dyn $family {
            fn name(&self) -> &'static str {
                $family::name(self)
            }
            fn schema(&self) -> Schema {
                $family::schema(self)
            }
            fn validate<'a>(&'a self, config: &'a Value) -> BoxFuture<'a, Diagnostics> {
                $family::validate(self, config)
            }
        }
    };
}

/// The provider itself: its configuration and the types it serves.
#[async_trait]
pub trait Provider: Send + Sync {
    /// Provider type name, the prefix of every resource type (e.g. `example` for
    /// `example_thing`).
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Static checks of the provider block (values may be unknown).
    async fn validate(&self, config: &Value) -> Diagnostics;
    /// Resolves credentials and builds clients; may see unknown values during plan.
    async fn configure(&self, ctx: &Ctx, terraform_version: &str, config: &Value) -> Diagnostics;
    /// Managed resource types; none by default.
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        Vec::new()
    }
    /// Data source types; none by default.
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
    /// Ephemeral resource types (Terraform 1.10 and later); none by default.
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        Vec::new()
    }
    /// List resource types for `terraform query` (Terraform 1.14 and later); none by default.
    /// Each pairs with the managed resource of the same name, which must declare an identity.
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        Vec::new()
    }
}

/// Result of planning, applying or reading a resource: the new value (null
/// when the object is gone), private bytes and diagnostics.
#[derive(Clone, Default)]
pub struct Outcome {
    pub state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
    /// The object's identity (Terraform 1.12+); the engine derives it from `state` when the
    /// resource declares an identity schema and leaves this `None`.
    pub identity: Option<Value>,
}

/// A plan: the planned state plus the attributes whose change forces replacement.
#[derive(Clone, Default)]
pub struct Plan {
    pub planned: Value,
    pub private: Vec<u8>,
    pub requires_replace: Vec<AttributePath>,
    pub diagnostics: Diagnostics,
    /// The planned identity; derived by the engine like [`Outcome::identity`].
    pub identity: Option<Value>,
}

/// Inputs of `PlanResourceChange` (null prior: create; null proposed: destroy).
#[derive(Clone)]
pub struct PlanRequest {
    pub prior: Value,
    pub proposed: Value,
    pub config: Value,
    pub prior_private: Vec<u8>,
}

/// Inputs of `ApplyResourceChange` (null planned: destroy).
#[derive(Clone)]
pub struct ApplyRequest {
    pub prior: Value,
    pub planned: Value,
    pub config: Value,
    pub planned_private: Vec<u8>,
}

served_family! {
    /// A managed resource type.
    pub trait Resource {
        /// The identity schema (Terraform 1.12+): which state attributes identify the object.
        fn identity_schema(&self) -> Option<IdentitySchema> {
            None
        }
        /// Converts raw JSON state written by schema `version` to the current
        /// schema. `None` with the default means: decode leniently as current.
        async fn upgrade(
            &self,
            _version: i64,
            _raw_json: &serde_json::Value,
        ) -> Option<(Value, Diagnostics)> {
            None
        }
        async fn read(&self, ctx: &Ctx, state: Value, private: Vec<u8>) -> Outcome;
        async fn plan(&self, ctx: &Ctx, req: PlanRequest) -> Plan;
        async fn apply(&self, ctx: &Ctx, req: ApplyRequest) -> Outcome;
        /// Whether this resource writes its own configuration from state with
        /// [`Resource::generate_config`] (Terraform 1.15's `GenerateResourceConfig`, used by
        /// `-generate-config-out`). The provider advertises the capability when any of its
        /// resources does; Terraform then asks for every resource type, and the others get the
        /// default below.
        fn generates_config(&self) -> bool {
            false
        }
        /// Configuration that reproduces `state` and validates. The default keeps what the
        /// schema lets a configuration set (read-only and deprecated attributes and deprecated
        /// blocks become null), as Terraform does for providers without the capability.
        async fn generate_config(&self, _ctx: &Ctx, state: Value) -> (Value, Diagnostics) {
            (
                config_from_state(&self.schema().block, &state),
                Diagnostics::new(),
            )
        }
        async fn import(&self, _ctx: &Ctx, _id: &str) -> Outcome {
            let mut o = Outcome::default();
            o.diagnostics.error(
                "Import not supported",
                format!("{} cannot be imported.", self.name()),
            );
            o
        }
    }
}

served_family! {
    /// A data source type.
    pub trait DataSource {
        async fn read(&self, ctx: &Ctx, config: Value) -> (Value, Diagnostics);
    }
}

/// What opening an ephemeral resource produced. `result` is never stored by Terraform
/// (not in plan, not in state); `private` comes back to `renew` and `close`.
#[derive(Clone, Default)]
pub struct Opened {
    pub result: Value,
    pub diagnostics: Diagnostics,
    pub private: Vec<u8>,
    /// When Terraform should call `renew` (if the run lasts that long).
    pub renew_at: Option<SystemTime>,
}

/// What renewing an ephemeral resource produced.
#[derive(Clone, Default)]
pub struct Renewed {
    pub private: Vec<u8>,
    pub renew_at: Option<SystemTime>,
    pub diagnostics: Diagnostics,
}

served_family! {
    /// An ephemeral resource type (Terraform 1.10 and later): opened when a run needs its
    /// value, closed when the run is done; nothing of it reaches a plan file or the state.
    pub trait EphemeralResource {
        async fn open(&self, ctx: &Ctx, config: Value) -> Opened;
        /// By default nothing needs renewing.
        async fn renew(&self, _ctx: &Ctx, private: Vec<u8>) -> Renewed {
            Renewed {
                private,
                ..Renewed::default()
            }
        }
        /// By default there is nothing to release.
        async fn close(&self, _ctx: &Ctx, _private: Vec<u8>) -> Diagnostics {
            Diagnostics::new()
        }
    }
}

/// What `terraform query` asked a list resource for.
#[derive(Clone, Debug)]
pub struct ListRequest {
    /// The `config` block, decoded against the list resource's schema.
    pub config: Value,
    /// Whether each result should carry the full resource object.
    pub include_resource_object: bool,
    /// The most results Terraform will take.
    pub limit: i64,
}

/// One object a list resource found.
#[derive(Clone, Debug, Default)]
pub struct ListItem {
    /// The managed resource's state for it (only sent when asked for).
    pub object: Value,
    /// What Terraform shows for it.
    pub display_name: String,
}

served_family! {
    /// A list resource type (Terraform 1.14 and later): finds existing objects of the managed
    /// resource type with the same name, for `terraform query` and generated import blocks.
    /// Its `name` is the managed resource's; its `schema` is that of the `config` block of a
    /// `list` block.
    pub trait ListResource {
        /// The matching objects, in a stable order. The engine derives each identity from the
        /// object and applies `limit`.
        async fn list(&self, ctx: &Ctx, req: ListRequest) -> (Vec<ListItem>, Diagnostics);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn or_cancelled_stops_waiting_when_stop_is_called() {
        let ctx = Ctx::default();
        assert_eq!(ctx.or_cancelled(async { 7 }).await, Some(7));
        ctx.cancel.cancel();
        assert_eq!(ctx.or_cancelled(std::future::pending::<i32>()).await, None);
    }
}
