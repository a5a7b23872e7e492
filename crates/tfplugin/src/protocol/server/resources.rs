//! Managed resource RPCs: validate, upgrade state, read, plan, apply, import, move and
//! generate configuration.

use super::identity;
use crate::framework::engine::{Engine, RawState};
use crate::framework::provider::{ApplyRequest, PlanRequest};
use crate::framework::{Diagnostic, Diagnostics};
use crate::protocol::convert::diagnostics;
use crate::protocol::guard::{
    HasDiagnostics, decode_or_return, encode_into, guarded, lookup_or_return,
};
use crate::protocol::proto::tfplugin5 as pb;
use tonic::{Response, Status};

fn unsupported(what: &str) -> Diagnostics {
    Diagnostic::error(
        format!("{what} not supported"),
        format!("This provider does not offer {what}."),
    )
    .into()
}

pub(super) async fn validate(
    engine: &Engine,
    req: pb::validate_resource_type_config::Request,
) -> Result<Response<pb::validate_resource_type_config::Response>, Status> {
    guarded("ValidateResourceTypeConfig", async {
        let r = lookup_or_return!(engine.resource(&req.type_name));
        let config = decode_or_return!(req.config.as_ref(), &r.ty, "resource configuration");
        let d = engine.validate_resource(&req.type_name, &config).await;
        pb::validate_resource_type_config::Response {
            diagnostics: diagnostics(&d),
        }
    })
    .await
}

pub(super) async fn upgrade_state(
    engine: &Engine,
    req: pb::upgrade_resource_state::Request,
) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
    guarded("UpgradeResourceState", async {
        let r = lookup_or_return!(engine.resource(&req.type_name));
        let raw = req.raw_state.unwrap_or_default();
        let raw = RawState {
            flatmap: !raw.flatmap.is_empty(),
            json: raw.json,
        };
        let (value, mut d) = engine
            .upgrade_resource_state(&req.type_name, req.version, &raw)
            .await;
        let upgraded_state = value.and_then(|v| encode_into(&mut d, &v, &r.ty, "upgraded state"));
        pb::upgrade_resource_state::Response {
            upgraded_state,
            diagnostics: diagnostics(&d),
        }
    })
    .await
}

pub(super) async fn read(
    engine: &Engine,
    req: pb::read_resource::Request,
) -> Result<Response<pb::read_resource::Response>, Status> {
    guarded("ReadResource", async {
        let r = lookup_or_return!(engine.resource(&req.type_name));
        let state = decode_or_return!(req.current_state.as_ref(), &r.ty, "current state");
        let mut out = engine
            .read_resource(&req.type_name, state, req.private)
            .await;
        let new_state = encode_into(&mut out.diagnostics, &out.state, &r.ty, "state");
        let new_identity = identity::encode(
            engine,
            &req.type_name,
            out.identity.as_ref(),
            &mut out.diagnostics,
        );
        pb::read_resource::Response {
            new_identity,
            new_state,
            private: out.private,
            diagnostics: diagnostics(&out.diagnostics),
            deferred: None,
        }
    })
    .await
}

pub(super) async fn plan(
    engine: &Engine,
    req: pb::plan_resource_change::Request,
) -> Result<Response<pb::plan_resource_change::Response>, Status> {
    guarded("PlanResourceChange", async {
        let r = lookup_or_return!(engine.resource(&req.type_name));
        let prior = decode_or_return!(req.prior_state.as_ref(), &r.ty, "prior state");
        let proposed =
            decode_or_return!(req.proposed_new_state.as_ref(), &r.ty, "proposed new state");
        let config = decode_or_return!(req.config.as_ref(), &r.ty, "configuration");
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
        let planned_state =
            encode_into(&mut plan.diagnostics, &plan.planned, &r.ty, "planned state");
        let planned_identity = identity::encode(
            engine,
            &req.type_name,
            plan.identity.as_ref(),
            &mut plan.diagnostics,
        );
        pb::plan_resource_change::Response {
            planned_identity,
            planned_state,
            requires_replace: plan.requires_replace.iter().map(Into::into).collect(),
            planned_private: plan.private,
            diagnostics: diagnostics(&plan.diagnostics),
            legacy_type_system: false,
            deferred: None,
        }
    })
    .await
}

pub(super) async fn apply(
    engine: &Engine,
    req: pb::apply_resource_change::Request,
) -> Result<Response<pb::apply_resource_change::Response>, Status> {
    guarded("ApplyResourceChange", async {
        let r = lookup_or_return!(engine.resource(&req.type_name));
        let prior = decode_or_return!(req.prior_state.as_ref(), &r.ty, "prior state");
        let planned = decode_or_return!(req.planned_state.as_ref(), &r.ty, "planned state");
        let config = decode_or_return!(req.config.as_ref(), &r.ty, "configuration");
        let mut out = engine
            .apply_resource(
                &req.type_name,
                ApplyRequest {
                    prior,
                    planned,
                    config,
                    planned_private: req.planned_private,
                },
            )
            .await;
        let new_state = encode_into(&mut out.diagnostics, &out.state, &r.ty, "new state");
        let new_identity = identity::encode(
            engine,
            &req.type_name,
            out.identity.as_ref(),
            &mut out.diagnostics,
        );
        pb::apply_resource_change::Response {
            new_identity,
            new_state,
            private: out.private,
            diagnostics: diagnostics(&out.diagnostics),
            legacy_type_system: false,
        }
    })
    .await
}

pub(super) async fn import(
    engine: &Engine,
    req: pb::import_resource_state::Request,
) -> Result<Response<pb::import_resource_state::Response>, Status> {
    guarded("ImportResourceState", async {
        let r = lookup_or_return!(engine.resource(&req.type_name));
        let identity = match req.identity.as_ref().and_then(|i| i.identity_data.as_ref()) {
            Some(dv) => match engine.identity_schema(&req.type_name) {
                Some(schema) => Some(decode_or_return!(
                    Some(dv),
                    &schema.implied_type(),
                    "import identity"
                )),
                None => None,
            },
            None => None,
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
    })
    .await
}

pub(super) async fn move_state() -> Result<Response<pb::move_resource_state::Response>, Status> {
    guarded("MoveResourceState", async {
        HasDiagnostics::from_diagnostics(&unsupported("moving state across resource types"))
    })
    .await
}

pub(super) async fn generate_config(
    engine: &Engine,
    req: pb::generate_resource_config::Request,
) -> Result<Response<pb::generate_resource_config::Response>, Status> {
    guarded("GenerateResourceConfig", async {
        let r = lookup_or_return!(engine.resource(&req.type_name));
        let state = decode_or_return!(req.state.as_ref(), &r.ty, "state");
        let (config, mut d) = engine.generate_resource_config(&req.type_name, state).await;
        let config = config.and_then(|v| encode_into(&mut d, &v, &r.ty, "configuration"));
        pb::generate_resource_config::Response {
            config,
            diagnostics: diagnostics(&d),
        }
    })
    .await
}
