//! What every RPC handler shares: running it with panics turned into an error
//! diagnostic, putting diagnostics into any response message, the lookup/decode/encode
//! steps that end a handler early with a diagnostic, and the whole of the RPCs that
//! only check a configuration.

use super::convert::{decode_value, diagnostics, encode_value};
use super::proto::tfplugin5 as pb;
use crate::framework::engine::Kind;
use crate::framework::{Diagnostic, Diagnostics, Type, Value};
use futures::FutureExt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use tonic::{Response, Status};

/// Response messages that carry diagnostics, so a panic or a lookup failure
/// can be reported in any of them.
pub(super) trait HasDiagnostics: Default {
    fn diagnostics_mut(&mut self) -> &mut Vec<pb::Diagnostic>;
    fn from_diagnostics(d: &Diagnostics) -> Self {
        let mut r = Self::default();
        *r.diagnostics_mut() = diagnostics(d);
        r
    }
}

macro_rules! has_diagnostics {
    ($($t:ty),* $(,)?) => {$(
        impl HasDiagnostics for $t {
            fn diagnostics_mut(&mut self) -> &mut Vec<pb::Diagnostic> { &mut self.diagnostics }
        }
    )*};
}

has_diagnostics!(
    pb::get_metadata::Response,
    pb::get_provider_schema::Response,
    pb::prepare_provider_config::Response,
    pb::validate_resource_type_config::Response,
    pb::validate_data_source_config::Response,
    pb::upgrade_resource_state::Response,
    pb::configure::Response,
    pb::read_resource::Response,
    pb::plan_resource_change::Response,
    pb::apply_resource_change::Response,
    pb::import_resource_state::Response,
    pb::move_resource_state::Response,
    pb::generate_resource_config::Response,
    pb::read_data_source::Response,
    pb::validate_ephemeral_resource_config::Response,
    pb::open_ephemeral_resource::Response,
    pb::renew_ephemeral_resource::Response,
    pb::close_ephemeral_resource::Response,
    pb::get_functions::Response,
    pb::get_resource_identity_schemas::Response,
    pb::upgrade_resource_identity::Response,
    pb::validate_list_resource_config::Response,
);

/// Runs one RPC handler: logs it, and turns a panic into an error diagnostic.
pub(super) async fn guarded<R, F>(rpc: &'static str, body: F) -> Result<Response<R>, Status>
where
    R: HasDiagnostics,
    F: Future<Output = R>,
{
    tracing::debug!(rpc, "RPC started");
    let out = match crate::logging::recovering_panics(AssertUnwindSafe(body).catch_unwind()).await {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!(rpc, panic = %msg, "RPC panicked");
            R::from_diagnostics(
                &Diagnostic::error(
                    "Provider internal error",
                    format!(
                        "The provider panicked while handling {rpc}: {msg}. Please report this bug."
                    ),
                )
                .into(),
            )
        }
    };
    tracing::debug!(rpc, "RPC finished");
    Ok(Response::new(out))
}

/// Decodes or returns early with the diagnostic in the response type `R`.
macro_rules! decode_or_return {
    ($dv:expr, $ty:expr, $what:expr) => {
        match $crate::protocol::convert::decode_value($dv, $ty, $what) {
            Ok(v) => v,
            Err(d) => return $crate::protocol::guard::HasDiagnostics::from_diagnostics(&d.into()),
        }
    };
}

/// The value, or an early return of the response carrying the diagnostics.
macro_rules! or_return {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(d) => return $crate::protocol::guard::HasDiagnostics::from_diagnostics(&d),
        }
    };
}

/// A kind looked up by type name and a request value (the request's `Option<DynamicValue>`
/// field) decoded against its type, or an early return of the response carrying the
/// diagnostics: how most handlers begin.
macro_rules! lookup_and_decode {
    ($kind:expr, $dv:expr, $what:expr) => {
        $crate::protocol::guard::or_return!($crate::protocol::guard::kind_and_value(
            $kind,
            $dv.as_ref(),
            $what
        ))
    };
}

/// A registered kind (the result of its lookup by type name) with a request value decoded
/// against its type.
pub(super) fn kind_and_value<'e, T: ?Sized>(
    kind: Result<&'e Kind<T>, Diagnostics>,
    dv: Option<&pb::DynamicValue>,
    what: &str,
) -> Result<(&'e Kind<T>, Value), Diagnostics> {
    let kind = kind?;
    Ok((kind, decode_value(dv, &kind.ty, what)?))
}

/// The RPCs that take one configuration and answer with diagnostics alone (the "validate
/// configuration" RPCs and `Configure`): the configuration decoded against the kind's type,
/// then handed to `check`, whose diagnostics are the response.
pub(super) async fn config_diagnostics<R: HasDiagnostics, T: ?Sized>(
    kind: Result<&Kind<T>, Diagnostics>,
    config: Option<&pb::DynamicValue>,
    what: &str,
    check: impl AsyncFnOnce(&Value) -> Diagnostics,
) -> R {
    match kind_and_value(kind, config, what) {
        Ok((_, config)) => R::from_diagnostics(&check(&config).await),
        Err(d) => R::from_diagnostics(&d),
    }
}

/// Defines the handler of a "validate configuration" RPC (`$msg` names its messages): the
/// kind is found with `Engine::$lookup`, the configuration decoded against its type (as
/// `$what`), and the response carries what `Engine::$check` finds, passed through `$then`
/// when given.
macro_rules! validate_rpc {
    ($handler:ident($msg:ident): $lookup:ident, $check:ident, $what:expr) => {
        $crate::protocol::guard::validate_rpc!(
            $handler($msg): $lookup, $check, $what, std::convert::identity
        );
    };
    ($handler:ident($msg:ident): $lookup:ident, $check:ident, $what:expr, $then:path) => {
        pub(super) async fn $handler(
            engine: &$crate::framework::engine::Engine,
            req: $crate::protocol::proto::tfplugin5::$msg::Request,
        ) -> $crate::protocol::proto::tfplugin5::$msg::Response {
            let name = &req.type_name;
            let check = async |config: &_| $then(engine.$check(name, config).await);
            let kind = engine.$lookup(name);
            $crate::protocol::guard::config_diagnostics(kind, req.config.as_ref(), $what, check)
                .await
        }
    };
}

pub(super) fn encode_into(
    d: &mut Diagnostics,
    v: &Value,
    ty: &Type,
    what: &str,
) -> Option<pb::DynamicValue> {
    match encode_value(v, ty, what) {
        Ok(dv) => Some(dv),
        Err(e) => {
            d.push(e);
            None
        }
    }
}

pub(super) use {decode_or_return, lookup_and_decode, or_return, validate_rpc};
