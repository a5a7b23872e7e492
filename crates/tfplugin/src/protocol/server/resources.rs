//! Managed resource RPCs: validate, upgrade state, read, plan, apply, import, move and
//! generate configuration.

use super::identity;
use crate::framework::engine::{Engine, Kind, RawState};
use crate::framework::provider::{ApplyRequest, PlanRequest, Resource};
use crate::framework::{Diagnostic, Diagnostics, Outcome, Type, Value};
use crate::protocol::convert::{decode_value, diagnostics};
use crate::protocol::guard::{
    HasDiagnostics, decode_or_return, encode_into, kind_and_value, lookup_and_decode, or_return,
    validate_rpc,
};
use crate::protocol::proto::tfplugin5 as pb;

const CONFIG: &str = "resource configuration";

fn unsupported(what: &str) -> Diagnostics {
    Diagnostic::error(
        format!("{what} not supported"),
        format!("This provider does not offer {what}."),
    )
    .into()
}

validate_rpc!(validate(validate_resource_type_config): resource, validate_resource, CONFIG);

pub(super) async fn upgrade_state(
    engine: &Engine,
    req: pb::upgrade_resource_state::Request,
) -> pb::upgrade_resource_state::Response {
    let r = or_return!(engine.resource(&req.type_name));
    let raw = RawState::from(req.raw_state);
    let (value, mut d) = engine
        .upgrade_resource_state(&req.type_name, req.version, &raw)
        .await;
    let upgraded_state = value.and_then(|v| encode_into(&mut d, &v, &r.ty, "upgraded state"));
    pb::upgrade_resource_state::Response {
        upgraded_state,
        diagnostics: diagnostics(&d),
    }
}

pub(super) async fn read(
    engine: &Engine,
    req: pb::read_resource::Request,
) -> pb::read_resource::Response {
    let kind = engine.resource(&req.type_name);
    let (r, state) = lookup_and_decode!(kind, req.current_state, "current state");
    let out = engine
        .read_resource(&req.type_name, state, req.private)
        .await;
    outcome_response(engine, &req.type_name, &r.ty, out, "state")
}

pub(super) async fn plan(
    engine: &Engine,
    req: pb::plan_resource_change::Request,
) -> pb::plan_resource_change::Response {
    let (r, [prior, proposed, config]) = or_return!(change(
        engine,
        &req.type_name,
        [req.prior_state, req.proposed_new_state, req.config],
        "proposed new state"
    ));
    let mut plan = engine
        .plan_resource(
            &req.type_name,
            PlanRequest {
                prior,
                proposed,
                config,
                prior_private: req.prior_private,
            },
        )
        .await;
    let d = &mut plan.diagnostics;
    let planned_state = encode_into(d, &plan.planned, &r.ty, "planned state");
    let planned_identity = identity::encode(engine, &req.type_name, plan.identity.as_ref(), d);
    pb::plan_resource_change::Response {
        planned_identity,
        planned_state,
        requires_replace: plan.requires_replace.iter().map(Into::into).collect(),
        planned_private: plan.private,
        diagnostics: diagnostics(&plan.diagnostics),
        legacy_type_system: false,
        deferred: None,
    }
}

pub(super) async fn apply(
    engine: &Engine,
    req: pb::apply_resource_change::Request,
) -> pb::apply_resource_change::Response {
    let values = [req.prior_state, req.planned_state, req.config];
    let (r, [prior, planned, config]) =
        or_return!(change(engine, &req.type_name, values, "planned state"));
    let request = ApplyRequest {
        prior,
        planned,
        config,
        planned_private: req.planned_private,
    };
    let out = engine.apply_resource(&req.type_name, request).await;
    outcome_response(engine, &req.type_name, &r.ty, out, "new state")
}

/// The resource type a plan or an apply is for, and its values decoded against that type:
/// the prior state, the state the change leads to (described as `what_next`) and the
/// configuration.
fn change<'e>(
    engine: &'e Engine,
    name: &str,
    [prior, next, config]: [Option<pb::DynamicValue>; 3],
    what_next: &str,
) -> Result<(&'e Kind<dyn Resource>, [Value; 3]), Diagnostics> {
    let (r, prior) = kind_and_value(engine.resource(name), prior.as_ref(), "prior state")?;
    let next = decode_value(next.as_ref(), &r.ty, what_next)?;
    let config = decode_value(config.as_ref(), &r.ty, "configuration")?;
    Ok((r, [prior, next, config]))
}

/// The responses that answer with an [`Outcome`]: a read's and an apply's. Their other
/// fields keep their defaults (`deferred: None`, `legacy_type_system: false`).
trait OutcomeResponse: Default {
    fn fill(
        &mut self,
        state: Option<pb::DynamicValue>,
        identity: Option<pb::ResourceIdentityData>,
        out: Outcome,
    );
}

macro_rules! outcome_response {
    ($($t:ty),*) => {$(
        impl OutcomeResponse for $t {
            fn fill(
                &mut self,
                state: Option<pb::DynamicValue>,
                identity: Option<pb::ResourceIdentityData>,
                out: Outcome,
            ) {
                self.new_state = state;
                self.new_identity = identity;
                self.private = out.private;
                self.diagnostics = diagnostics(&out.diagnostics);
            }
        }
    )*};
}

outcome_response!(
    pb::read_resource::Response,
    pb::apply_resource_change::Response
);

/// A read's or an apply's response: the outcome's state (as `what`) and identity encoded
/// (encoding problems join its diagnostics), with its private data and diagnostics.
fn outcome_response<R: OutcomeResponse>(
    engine: &Engine,
    name: &str,
    ty: &Type,
    mut out: Outcome,
    what: &str,
) -> R {
    let state = encode_into(&mut out.diagnostics, &out.state, ty, what);
    let identity = identity::encode(engine, name, out.identity.as_ref(), &mut out.diagnostics);
    let mut response = R::default();
    response.fill(state, identity, out);
    response
}

pub(super) async fn import(
    engine: &Engine,
    req: pb::import_resource_state::Request,
) -> pb::import_resource_state::Response {
    let r = or_return!(engine.resource(&req.type_name));
    let data = req.identity.as_ref().and_then(|i| i.identity_data.as_ref());
    let identity = match (data, engine.identity_schema(&req.type_name)) {
        (Some(dv), Some(schema)) => Some(decode_or_return!(
            Some(dv),
            &schema.implied_type(),
            "import identity"
        )),
        _ => None,
    };
    let mut out = engine
        .import_resource(&req.type_name, &req.id, identity.as_ref())
        .await;
    let imported_identity = identity::encode(
        engine,
        &req.type_name,
        out.identity.as_ref(),
        &mut out.diagnostics,
    );
    let state = out
        .state
        .as_ref()
        .and_then(|v| encode_into(&mut out.diagnostics, v, &r.ty, "imported state"));
    let imported_resources = state
        .map(|state| pb::import_resource_state::ImportedResource {
            type_name: req.type_name.clone(),
            state: Some(state),
            private: out.private,
            identity: imported_identity,
        })
        .into_iter()
        .collect();
    pb::import_resource_state::Response {
        imported_resources,
        diagnostics: diagnostics(&out.diagnostics),
        deferred: None,
    }
}

pub(super) async fn move_state(
    _engine: &Engine,
    _req: pb::move_resource_state::Request,
) -> pb::move_resource_state::Response {
    HasDiagnostics::from_diagnostics(&unsupported("moving state across resource types"))
}

pub(super) async fn generate_config(
    engine: &Engine,
    req: pb::generate_resource_config::Request,
) -> pb::generate_resource_config::Response {
    let (r, state) = lookup_and_decode!(engine.resource(&req.type_name), req.state, "state");
    let (config, mut d) = engine.generate_resource_config(&req.type_name, state).await;
    let config = config.and_then(|v| encode_into(&mut d, &v, &r.ty, "configuration"));
    pb::generate_resource_config::Response {
        config,
        diagnostics: diagnostics(&d),
    }
}
