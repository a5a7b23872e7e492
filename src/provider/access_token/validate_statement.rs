//! Validation of one policy statement block (`inline_roles` or `policy_statements`): the
//! effect, exactly one of each `resources`/`not_resources` and `actions`/`not_actions` pair,
//! no empty lists and no null elements, each with the path of the offending attribute.

use super::model::StatementModel;
use crate::framework::{AttributePath, Diagnostics, Value};

/// Whether an access kind is set: `Some(true/false)`, or `None` if unknown.
pub(super) fn is_set(v: &Value) -> Option<bool> {
    match v {
        Value::Unknown(_) => None,
        Value::Null => Some(false),
        Value::String(_) => Some(true),
        other => other.as_elements().map(|e| !e.is_empty()),
    }
}

/// A path Terraform shows as the header line of a nested block (`policy_statements {`).
/// Terraform has no range for a path ending at a block, so it falls back to the whole
/// resource; for an attribute the block does not set, it highlights the block itself. A
/// valid statement always leaves one of `resources`/`not_resources` unset.
pub(super) fn block_header_path(block: &str, first: &Value) -> AttributePath {
    let unset = [
        StatementModel::not_resources,
        StatementModel::resources,
        StatementModel::not_actions,
        StatementModel::actions,
    ]
    .into_iter()
    .find(|a| first.get_or_null(a).is_null())
    .unwrap_or(StatementModel::not_resources);
    AttributePath::attr(block).at_index(0).at_attr(unset)
}

pub(super) fn validate_statement(st: &Value, path: &AttributePath, d: &mut Diagnostics) {
    if let Some(e) = st.get_or_null(StatementModel::effect).as_str() {
        if e != "allow" && e != "deny" {
            d.attribute_error(
                path.at_attr(StatementModel::effect),
                "Invalid effect",
                format!("effect must be \"allow\" or \"deny\", got {e:?}."),
            );
        }
    }
    for (a, b) in [
        (StatementModel::resources, StatementModel::not_resources),
        (StatementModel::actions, StatementModel::not_actions),
    ] {
        let (va, vb) = (st.get_or_null(a), st.get_or_null(b));
        for (name, v) in [(a, va), (b, vb)] {
            if let Some(i) = v
                .as_elements()
                .and_then(|e| e.iter().position(Value::is_null))
            {
                d.attribute_error(
                    path.at_attr(name).at_index(i),
                    format!("Null element in {name}"),
                    format!("{name}[{i}] is null; list strings only (remove the null, or use a conditional that leaves the element out)."),
                );
            }
            if v.as_elements().is_some_and(<[Value]>::is_empty) {
                d.attribute_error(
                    path.at_attr(name),
                    format!("Empty {name}"),
                    format!("{name} must list at least one value, or be omitted."),
                );
            }
        }
        match (is_set(va), is_set(vb)) {
            (Some(true), Some(true)) => d.attribute_error(
                path.at_attr(b),
                format!("Conflicting {a} and {b}"),
                format!("A statement sets exactly one of {a} or {b}, not both."),
            ),
            (Some(false), Some(false))
                if va.as_elements().is_none() && vb.as_elements().is_none() =>
            {
                d.attribute_error(
                    path.at_attr(a),
                    format!("Missing {a}"),
                    format!("A statement needs exactly one of {a} or {b}."),
                )
            }
            _ => {}
        }
    }
}
