//! `ListResource` (a server stream) and `ValidateListResourceConfig`: `terraform query`
//! (Terraform 1.14 and later). The engine finds the objects; this converts them to events.

use super::convert::diagnostics;
use super::guard::{HasDiagnostics, encode_into, lookup_and_decode, or_return, validate_rpc};
use super::proto::tfplugin5 as pb;
use crate::framework::engine::Engine;
use crate::framework::path::Step;
use crate::framework::{AttributePath, Diagnostics, ListRequest};

const CONFIG: &str = "list configuration";

/// The events of one `ListResource` call, collected before streaming; diagnostics that are
/// not about one result travel in an event of their own.
#[derive(Default)]
pub(super) struct ListEvents {
    events: Vec<pb::list_resource::Event>,
    diagnostics: Vec<pb::Diagnostic>,
}

impl HasDiagnostics for ListEvents {
    fn diagnostics_mut(&mut self) -> &mut Vec<pb::Diagnostic> {
        &mut self.diagnostics
    }
}

impl ListEvents {
    /// The events to stream: the results, then one event carrying the diagnostics, if any.
    pub(super) fn into_events(self) -> Vec<pb::list_resource::Event> {
        let mut events = self.events;
        if !self.diagnostics.is_empty() {
            events.push(pb::list_resource::Event {
                diagnostic: self.diagnostics,
                ..Default::default()
            });
        }
        events
    }
}

/// Runs one `ListResource` call.
pub(super) async fn list(engine: &Engine, req: pb::list_resource::Request) -> ListEvents {
    let (_, config) = lookup_and_decode!(engine.list_resource(&req.type_name), req.config, CONFIG);
    let object_ty = or_return!(engine.resource(&req.type_name)).ty.clone();
    let Some(identity_ty) = engine
        .identity_schema(&req.type_name)
        .map(|i| i.implied_type())
    else {
        return ListEvents::default();
    };
    let list_req = ListRequest {
        config,
        include_resource_object: req.include_resource_object,
        limit: req.limit,
    };
    let (found, mut d): (_, Diagnostics) = engine.list(&req.type_name, list_req).await;
    let mut events = Vec::with_capacity(found.len());
    for item in found {
        let Some(identity) = encode_into(&mut d, &item.identity, &identity_ty, "identity") else {
            continue;
        };
        let resource_object = item
            .object
            .as_ref()
            .and_then(|o| encode_into(&mut d, o, &object_ty, "resource object"));
        events.push(pb::list_resource::Event {
            identity: Some(pb::ResourceIdentityData {
                identity_data: Some(identity),
            }),
            display_name: item.display_name,
            resource_object,
            diagnostic: vec![],
        });
    }
    ListEvents {
        events,
        diagnostics: diagnostics(&d),
    }
}

// `ValidateListResourceConfig`.
validate_rpc!(
    validate(validate_list_resource_config): list_resource, validate_list, CONFIG, under_config_block
);

/// Puts validation diagnostics under the `config` block. Terraform (1.14, 1.15) resolves
/// them against the whole `list` block, in which the provider's configuration is the nested
/// `config` block, and, unlike for `ListResource` events, does not add that step itself
/// (`internal/plugin/grpc_provider.go`): without it every error would point at the `list`
/// line instead of the attribute. A diagnostic without a path stays without one.
fn under_config_block(d: Diagnostics) -> Diagnostics {
    let mut out = Diagnostics::new();
    for mut diag in d {
        diag.path = diag.path.map(|p| {
            let mut steps = vec![Step::Attribute("config".into())];
            steps.extend(p.steps().iter().cloned());
            AttributePath::from_steps(steps)
        });
        out.push(diag);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Diagnostic;

    #[test]
    fn validation_paths_go_under_the_config_block() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("a", "b").at(AttributePath::attr("name_regex")));
        d.push(Diagnostic::error("c", "d"));
        let paths: Vec<Option<String>> = under_config_block(d)
            .iter()
            .map(|x| x.path.as_ref().map(ToString::to_string))
            .collect();
        assert_eq!(paths, [Some("config.name_regex".to_string()), None]);
    }
}
