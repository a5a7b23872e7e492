//! Validation at validate/plan time, before any API call: every rule with
//! the attribute path it concerns. Unknown values are skipped and checked
//! again once known (Terraform validates again at apply).

use super::model::TokenModel;
use super::schema::{API_VERSIONS, CURRENT_API_VERSION, POLICY_STATEMENTS_DEPRECATION, ROLES};
use super::validate_rotation::{validate_expire, validate_rotation};
use super::validate_statement::{block_header_path, is_set, validate_statement};
use crate::framework::{AttributePath, Diagnostics, Value};

pub fn validate(config: &Value) -> Diagnostics {
    let mut d = Diagnostics::new();
    let role = config.get_or_null(TokenModel::role);
    if let Some(r) = role.as_str() {
        if !ROLES.contains(&r) {
            d.attribute_error(
                AttributePath::attr(TokenModel::role),
                "Invalid role",
                format!("role must be one of reader, writer or admin, got {r:?}. For other permissions use custom_roles or inline_roles."),
            );
        }
    }

    let kinds = [
        TokenModel::role,
        TokenModel::custom_roles,
        TokenModel::inline_roles,
        TokenModel::policy_statements,
    ];
    let states: Vec<Option<bool>> = kinds
        .iter()
        .map(|k| is_set(config.get_or_null(k)))
        .collect();
    let set: Vec<&str> = kinds
        .iter()
        .zip(&states)
        .filter(|(_, s)| **s == Some(true))
        .map(|(k, _)| *k)
        .collect();
    if set.len() > 1 {
        d.attribute_error(
            kind_path(config, set[1]),
            "Conflicting token permissions",
            format!(
                "Only one of role, custom_roles or inline_roles (policy_statements) may be set; this token sets {}. Remove all but one.",
                set.join(" and ")
            ),
        );
    } else if set.is_empty() && states.iter().all(Option::is_some) {
        d.attribute_error(
            AttributePath::attr(TokenModel::role),
            "Missing token permissions",
            "An access token needs exactly one of role (reader, writer, admin), custom_roles, or inline_roles blocks.",
        );
    }

    if let Some(roles) = config.get_or_null(TokenModel::custom_roles).as_elements() {
        if roles.iter().any(Value::is_null) {
            d.attribute_error(
                AttributePath::attr(TokenModel::custom_roles),
                "Null custom role",
                "custom_roles contains null; list custom role keys only (remove the null, or use a conditional that leaves the element out).",
            );
        }
    }

    for block in [TokenModel::inline_roles, TokenModel::policy_statements] {
        if let Some(items) = config.get_or_null(block).as_elements() {
            for (i, st) in items.iter().enumerate() {
                validate_statement(st, &AttributePath::attr(block).at_index(i), &mut d);
            }
            if block == TokenModel::policy_statements && !items.is_empty() {
                d.attribute_warning(
                    block_header_path(block, &items[0]),
                    "Deprecated attribute",
                    POLICY_STATEMENTS_DEPRECATION,
                );
            }
        }
    }

    if let Some(n) = config
        .get_or_null(TokenModel::default_api_version)
        .as_number()
    {
        match n.to_i64() {
            Some(v) if API_VERSIONS.contains(&v) => {
                if v != CURRENT_API_VERSION {
                    d.attribute_warning(
                        AttributePath::attr(TokenModel::default_api_version),
                        "Deprecated API version",
                        format!("API version {v} is deprecated; {CURRENT_API_VERSION} is current. Tokens using old versions may stop working when LaunchDarkly retires them."),
                    );
                }
            }
            _ => d.attribute_error(
                AttributePath::attr(TokenModel::default_api_version),
                "Invalid default_api_version",
                format!("default_api_version must be one of {API_VERSIONS:?}, got {n}."),
            ),
        }
    }

    validate_expire(config.get_or_null(TokenModel::expire), &mut d);
    validate_rotation(config, &mut d);
    d
}

/// Where a permission kind is reported: its attribute, or the first of its blocks (with the
/// block's index, so that Terraform highlights that block rather than the whole resource).
fn kind_path(config: &Value, kind: &str) -> AttributePath {
    match config
        .get_or_null(kind)
        .as_elements()
        .and_then(<[Value]>::first)
    {
        Some(first)
            if kind == TokenModel::inline_roles || kind == TokenModel::policy_statements =>
        {
            block_header_path(kind, first)
        }
        _ => AttributePath::attr(kind),
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::object_with as cfg;
    use super::*;

    fn statement(pairs: Vec<(&str, Value)>) -> Value {
        let mut v = Value::object([
            ("effect", Value::from("allow")),
            ("resources", Value::Null),
            ("not_resources", Value::Null),
            ("actions", Value::Null),
            ("not_actions", Value::Null),
        ]);
        for (k, x) in pairs {
            v.set(k, x);
        }
        v
    }

    fn strs(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| Value::from(*s)).collect())
    }

    fn errors_at(d: &Diagnostics) -> Vec<String> {
        d.iter()
            .filter(|x| x.is_error())
            .map(|x| x.path.as_ref().map(|p| p.to_string()).unwrap_or_default())
            .collect()
    }

    #[test]
    fn rules_with_paths() {
        let good_st = statement(vec![
            ("resources", strs(&["proj/*"])),
            ("actions", strs(&["*"])),
        ]);
        let cases: Vec<(&str, Value, Vec<&str>)> = vec![
            ("role ok", cfg(vec![("role", "reader".into())]), vec![]),
            (
                "bad role",
                cfg(vec![("role", "owner".into())]),
                vec!["role"],
            ),
            ("none", cfg(vec![]), vec!["role"]),
            (
                "two kinds",
                cfg(vec![
                    ("role", "reader".into()),
                    ("custom_roles", Value::Set(vec!["k".into()])),
                ]),
                vec!["custom_roles"],
            ),
            (
                "unknown role skips",
                cfg(vec![("role", Value::unknown())]),
                vec![],
            ),
            (
                "inline ok",
                cfg(vec![("inline_roles", Value::List(vec![good_st.clone()]))]),
                vec![],
            ),
            (
                "statement both resources",
                cfg(vec![(
                    "inline_roles",
                    Value::List(vec![statement(vec![
                        ("resources", strs(&["a"])),
                        ("not_resources", strs(&["b"])),
                        ("actions", strs(&["*"])),
                    ])]),
                )]),
                vec!["inline_roles[0].not_resources"],
            ),
            (
                "statement no actions",
                cfg(vec![(
                    "inline_roles",
                    Value::List(vec![statement(vec![("resources", strs(&["a"]))])]),
                )]),
                vec!["inline_roles[0].actions"],
            ),
            (
                "statement empty list and bad effect",
                cfg(vec![(
                    "inline_roles",
                    Value::List(vec![statement(vec![
                        ("effect", "maybe".into()),
                        ("resources", strs(&[])),
                        ("actions", strs(&["*"])),
                    ])]),
                )]),
                vec!["inline_roles[0].effect", "inline_roles[0].resources"],
            ),
            (
                "null resource",
                cfg(vec![(
                    "inline_roles",
                    Value::List(vec![statement(vec![
                        ("resources", Value::List(vec!["a".into(), Value::Null])),
                        ("actions", strs(&["*"])),
                    ])]),
                )]),
                vec!["inline_roles[0].resources[1]"],
            ),
            (
                "null custom role",
                cfg(vec![(
                    "custom_roles",
                    Value::Set(vec!["k".into(), Value::Null]),
                )]),
                vec!["custom_roles"],
            ),
            (
                "role and a block",
                cfg(vec![
                    ("role", "reader".into()),
                    ("policy_statements", Value::List(vec![good_st.clone()])),
                ]),
                vec!["policy_statements[0].not_resources"],
            ),
            (
                "bad api version",
                cfg(vec![
                    ("role", "reader".into()),
                    ("default_api_version", Value::int(20200101)),
                ]),
                vec!["default_api_version"],
            ),
            (
                "zero expire means no rotation (v2)",
                cfg(vec![("role", "reader".into()), ("expire", Value::int(0))]),
                vec![],
            ),
            (
                "huge expire",
                cfg(vec![
                    ("role", "reader".into()),
                    (
                        "expire",
                        Value::Number(crate::framework::number::Number::parse("1e20").unwrap()),
                    ),
                ]),
                vec!["expire"],
            ),
            (
                "null trigger",
                cfg(vec![
                    ("role", "reader".into()),
                    (
                        "rotation_triggers",
                        Value::Map([("a".to_string(), Value::Null)].into()),
                    ),
                ]),
                vec!["rotation_triggers[\"a\"]"],
            ),
            (
                "negative grace",
                cfg(vec![
                    ("role", "reader".into()),
                    ("rotation_grace_period", "-1h".into()),
                ]),
                vec!["rotation_grace_period"],
            ),
            (
                "bad grace",
                cfg(vec![
                    ("role", "reader".into()),
                    ("rotation_grace_period", "1 day".into()),
                ]),
                vec!["rotation_grace_period"],
            ),
        ];
        for (name, c, want) in cases {
            assert_eq!(errors_at(&validate(&c)), want, "{name}");
        }
    }

    #[test]
    fn warnings() {
        let st = statement(vec![
            ("resources", strs(&["proj/*"])),
            ("actions", strs(&["*"])),
        ]);
        let d = validate(&cfg(vec![("policy_statements", Value::List(vec![st]))]));
        assert!(!d.has_errors());
        assert!(d.iter().any(|x| x.summary == "Deprecated attribute"));
        let d = validate(&cfg(vec![
            ("role", "reader".into()),
            ("default_api_version", Value::int(20160426)),
        ]));
        assert!(!d.has_errors() && !d.is_empty());
    }
}
