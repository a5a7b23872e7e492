//! Planning (`PlanResourceChange`): what Terraform will show. Patchable
//! fields update in place; `service_token` and an explicitly changed
//! `default_api_version` force replacement; `token` stays known unless a
//! rotation is planned; computed values that cannot be predicted are unknown.

use super::model::TokenModel;
use crate::framework::{AttributePath, Plan, PlanRequest, Value};

/// `rotation_triggers` as rotation sees it: an empty map is the same as none (null).
fn triggers(v: &Value) -> &Value {
    let t = v.get_or_null(TokenModel::rotation_triggers);
    match t.as_entries() {
        Some(m) if m.is_empty() => &Value::Null,
        _ => t,
    }
}

/// Whether `expire` moving from `pe` to `ne` rotates (official provider v2:
/// `oldExpire != newExpire && newExpire != 0`; null is "not set", like v2's 0).
fn expire_rotates(pe: &Value, ne: &Value) -> bool {
    let zero = |v: &Value| v.as_number().and_then(|n| n.to_i64()) == Some(0);
    !ne.is_null() && !zero(ne) && !ne.semantically_equal(pe)
}

/// Whether moving from `prior` to `next` (plan or config) rotates the secret:
/// `Some(true)` yes, `Some(false)` no, `None` not known until apply.
///
/// - `expire`: any change to a non-null, non-zero value rotates (v2 semantics; 0 means
///   "no rotation" there, and v2 states carry 0 for an unset `expire`).
/// - `rotation_triggers`: a change of the map rotates once the token has
///   triggers; adding triggers to a token that had none arms rotation
///   without rotating, and removing them never rotates. `{}` counts as none.
pub fn rotation_due(prior: &Value, next: &Value) -> Option<bool> {
    let (pe, ne) = (
        prior.get_or_null(TokenModel::expire),
        next.get_or_null(TokenModel::expire),
    );
    let (pt, nt) = (triggers(prior), triggers(next));
    if ne.is_unknown() || (!pt.is_null() && !nt.is_wholly_known()) {
        return None;
    }
    let by_expire = expire_rotates(pe, ne);
    let by_triggers = !pt.is_null() && !nt.is_null() && !nt.semantically_equal(pt);
    Some(by_expire || by_triggers)
}

pub fn plan(req: &PlanRequest) -> Plan {
    let mut out = Plan {
        private: req.prior_private.clone(),
        ..Plan::default()
    };
    if req.proposed.is_null() {
        // Destroy: nothing to predict.
        return out;
    }
    let mut planned = req.proposed.clone();
    let config = &req.config;
    if req.prior.is_null() {
        // The engine's baseline already made every computed attribute the configuration
        // leaves null unknown (id, token, description, default_api_version); of those, only
        // `service_token` is predictable.
        if config.get_or_null(TokenModel::service_token).is_null() {
            planned.set(TokenModel::service_token, Value::Bool(false));
        }
        out.planned = planned;
        return out;
    }

    let prior = &req.prior;
    for name in [TokenModel::service_token, TokenModel::default_api_version] {
        let c = config.get_or_null(name);
        if !c.is_null() && !c.semantically_equal(prior.get_or_null(name)) {
            out.requires_replace.push(AttributePath::attr(name));
        }
    }
    if !out.requires_replace.is_empty() {
        // Terraform plans the replacement's create separately.
        planned.set(TokenModel::id, Value::unknown());
        planned.set(TokenModel::token, Value::unknown());
    } else if rotation_due(prior, &planned) != Some(false)
        || super::private::secret_reset(&req.prior_private)
    {
        // A secret reset outside Terraform (noted by the refresh) is rotated again, so the
        // state gets a secret that works.
        planned.set(TokenModel::token, Value::unknown());
    }
    out.planned = planned;
    out
}

#[cfg(test)]
mod tests {
    use super::super::schema::{object_with as state, schema};
    use super::*;

    /// The request as the engine passes it on: a create's proposed value has the baseline.
    fn req(prior: Value, proposed: Value) -> PlanRequest {
        let config = proposed.clone();
        let mut proposed = proposed;
        if prior.is_null() {
            crate::framework::engine::plan_baseline(&schema(), &mut proposed, &config);
        }
        PlanRequest {
            prior,
            config,
            proposed,
            prior_private: vec![],
        }
    }

    #[test]
    fn create_marks_computed_unknown_and_defaults_service_token() {
        let p = plan(&req(Value::Null, state(vec![("role", "reader".into())])));
        assert!(p.planned.get("id").unwrap().is_unknown());
        assert!(p.planned.get("token").unwrap().is_unknown());
        assert_eq!(p.planned.get("service_token"), Some(&Value::Bool(false)));
        assert!(p.requires_replace.is_empty());
    }

    #[test]
    fn update_keeps_token_unless_rotating() {
        let prior = state(vec![
            ("id", "t".into()),
            ("token", "api-x".into()),
            ("role", "reader".into()),
            ("service_token", false.into()),
        ]);
        let mut next = prior.clone();
        next.set("role", "writer".into());
        let p = plan(&req(prior.clone(), next.clone()));
        assert_eq!(p.planned.get("token"), Some(&Value::from("api-x")));
        next.set("expire", Value::int(-1));
        let p = plan(&req(prior.clone(), next));
        assert!(p.planned.get("token").unwrap().is_unknown());
    }

    #[test]
    fn service_token_change_forces_replacement() {
        let prior = state(vec![
            ("id", "t".into()),
            ("role", "reader".into()),
            ("service_token", false.into()),
        ]);
        let mut next = prior.clone();
        next.set("service_token", true.into());
        let p = plan(&req(prior, next));
        assert_eq!(
            p.requires_replace,
            vec![AttributePath::attr("service_token")]
        );
    }

    #[test]
    fn default_api_version_replaces_only_when_set_and_different() {
        let prior = state(vec![
            ("id", "t".into()),
            ("role", "reader".into()),
            ("default_api_version", Value::int(20240415)),
        ]);
        let mut omitted = prior.clone();
        omitted.set("default_api_version", Value::Null);
        let r = PlanRequest {
            prior: prior.clone(),
            proposed: prior.clone(),
            config: omitted,
            prior_private: vec![],
        };
        assert!(
            plan(&r).requires_replace.is_empty(),
            "omitted: keep the server's value"
        );
        let mut same = prior.clone();
        same.set("default_api_version", Value::int(20240415));
        assert!(plan(&req(prior.clone(), same)).requires_replace.is_empty());
        let mut other = prior.clone();
        other.set("default_api_version", Value::int(20191212));
        assert_eq!(
            plan(&req(prior, other)).requires_replace,
            vec![AttributePath::attr("default_api_version")]
        );
    }

    #[test]
    fn rotation_rules() {
        let trig = |v: &str| Value::Map([("r".to_string(), Value::from(v))].into());
        let base = state(vec![("rotation_triggers", trig("a"))]);
        let changed = state(vec![("rotation_triggers", trig("b"))]);
        let cases: Vec<(&str, Value, Value, Option<bool>)> = vec![
            ("same triggers", base.clone(), base.clone(), Some(false)),
            (
                "changed triggers",
                base.clone(),
                changed.clone(),
                Some(true),
            ),
            (
                "triggers added",
                state(vec![]),
                changed.clone(),
                Some(false),
            ),
            ("triggers removed", base.clone(), state(vec![]), Some(false)),
            (
                "unknown trigger",
                base.clone(),
                state(vec![("rotation_triggers", Value::unknown())]),
                None,
            ),
            (
                "{} to triggers",
                state(vec![("rotation_triggers", Value::Map(Default::default()))]),
                changed.clone(),
                Some(false),
            ),
            (
                "triggers to {}",
                base.clone(),
                state(vec![("rotation_triggers", Value::Map(Default::default()))]),
                Some(false),
            ),
            (
                "{} to unknown",
                state(vec![("rotation_triggers", Value::Map(Default::default()))]),
                state(vec![("rotation_triggers", Value::unknown())]),
                Some(false),
            ),
            (
                "expire 0 never rotates",
                state(vec![("expire", Value::int(5))]),
                state(vec![("expire", Value::int(0))]),
                Some(false),
            ),
            (
                "expire set",
                state(vec![]),
                state(vec![("expire", Value::int(-1))]),
                Some(true),
            ),
            (
                "expire unchanged",
                state(vec![("expire", Value::int(5))]),
                state(vec![("expire", Value::int(5))]),
                Some(false),
            ),
        ];
        for (name, prior, next, want) in cases {
            assert_eq!(rotation_due(&prior, &next), want, "{name}");
        }
    }
}
