//! Rules that follow from a schema alone, for every kind: a configuration may not set a
//! read-only attribute (computed and not optional), and configuration generated from state
//! (Terraform 1.15's `GenerateResourceConfig`) keeps only what a configuration may set.

use super::diagnostics::Diagnostics;
use super::path::AttributePath;
use super::schema::{Block, Nesting};
use super::value::Value;

/// One error per read-only attribute the configuration sets (unknown counts as set), with
/// its path, in nested blocks too.
pub fn read_only_errors(block: &Block, config: &Value) -> Diagnostics {
    let mut d = Diagnostics::new();
    walk_read_only(block, config, &AttributePath::root(), &mut d);
    d
}

fn walk_read_only(block: &Block, v: &Value, path: &AttributePath, d: &mut Diagnostics) {
    for a in block.attributes.iter().filter(|a| a.is_read_only()) {
        if v.get(&a.name).is_some_and(|x| !x.is_null()) {
            let at = path.at_attr(&a.name);
            d.attribute_error(
                at.clone(),
                "Invalid Configuration for Read-Only Attribute",
                format!(
                    "{at} is set by the provider and cannot be configured. Remove it from the configuration; refer to it as a value instead."
                ),
            );
        }
    }
    for_each_nested(block, v, path, &mut |b, item, p| {
        walk_read_only(b, item, p, d)
    });
}

/// Calls `f` for every object of every nested block in `v`, with its path (set elements
/// have no index in a path, so they get the block's path).
fn for_each_nested(
    block: &Block,
    v: &Value,
    path: &AttributePath,
    f: &mut dyn FnMut(&Block, &Value, &AttributePath),
) {
    for nb in &block.blocks {
        let Some(inner) = v.get(&nb.type_name) else {
            continue;
        };
        let p = path.at_attr(&nb.type_name);
        match nb.nesting {
            Nesting::Single | Nesting::Group => f(&nb.block, inner, &p),
            Nesting::List => {
                for (i, item) in inner.as_elements().unwrap_or_default().iter().enumerate() {
                    f(&nb.block, item, &p.at_index(i));
                }
            }
            Nesting::Set => {
                for item in inner.as_elements().unwrap_or_default() {
                    f(&nb.block, item, &p);
                }
            }
            Nesting::Map => {
                for (k, item) in inner.as_entries().into_iter().flatten() {
                    f(&nb.block, item, &p.at_key(k));
                }
            }
        }
    }
}

/// Configuration derived from state by the schema alone (what Terraform itself does for a
/// provider without `GenerateResourceConfig`): read-only and deprecated attributes and
/// deprecated blocks become null; everything else is kept.
pub fn config_from_state(block: &Block, state: &Value) -> Value {
    let Value::Object(m) = state else {
        return state.clone();
    };
    let mut out = m.clone();
    for a in &block.attributes {
        if (a.is_read_only() || a.deprecated) && out.contains_key(&a.name) {
            out.insert(a.name.clone(), Value::Null);
        }
    }
    for nb in &block.blocks {
        let Some(inner) = out.get_mut(&nb.type_name) else {
            continue;
        };
        if nb.block.deprecated {
            *inner = match inner {
                Value::List(_) => Value::List(vec![]),
                Value::Set(_) => Value::Set(vec![]),
                Value::Map(_) => Value::Map(Default::default()),
                _ => Value::Null,
            };
            continue;
        }
        match inner {
            Value::List(items) | Value::Set(items) => {
                for item in items.iter_mut() {
                    *item = config_from_state(&nb.block, item);
                }
            }
            Value::Map(items) => {
                for item in items.values_mut() {
                    *item = config_from_state(&nb.block, item);
                }
            }
            Value::Object(_) => *inner = config_from_state(&nb.block, inner),
            _ => {}
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::{Attribute, NestedBlock};
    use crate::framework::types::Type;

    fn block() -> Block {
        Block {
            attributes: vec![
                Attribute::computed("id", Type::String, ""),
                Attribute::optional("name", Type::String, ""),
                Attribute::optional_computed("kind", Type::String, ""),
            ],
            blocks: vec![
                NestedBlock::new(
                    "rule",
                    Nesting::List,
                    Block {
                        attributes: vec![
                            Attribute::required("x", Type::String, ""),
                            Attribute::computed("hash", Type::String, ""),
                        ],
                        ..Block::default()
                    },
                ),
                NestedBlock::new("old", Nesting::List, Block::default()).deprecated_because("no"),
            ],
            ..Block::default()
        }
    }

    fn rule(hash: Value) -> Value {
        Value::object([("x", Value::from("a")), ("hash", hash)])
    }

    fn paths(d: &Diagnostics) -> Vec<String> {
        d.iter()
            .map(|x| x.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn read_only_attributes_set_in_configuration_are_errors_with_their_path() {
        let config = Value::object([
            ("id", Value::unknown()),
            ("name", Value::from("n")),
            ("kind", Value::from("k")),
            (
                "rule",
                Value::List(vec![rule(Value::Null), rule(Value::from("h"))]),
            ),
        ]);
        let d = read_only_errors(&block(), &config);
        assert_eq!(paths(&d), ["id", "rule[1].hash"]);
        assert!(d.iter().all(|x| x.is_error()));
        let clean = Value::object([("id", Value::Null), ("name", Value::from("n"))]);
        assert!(read_only_errors(&block(), &clean).is_empty());
        assert!(read_only_errors(&block(), &Value::Null).is_empty());
    }

    #[test]
    fn config_from_state_keeps_only_what_a_configuration_may_set() {
        let state = Value::object([
            ("id", Value::from("i")),
            ("name", Value::from("n")),
            ("kind", Value::from("k")),
            ("rule", Value::List(vec![rule(Value::from("h"))])),
            (
                "old",
                Value::List(vec![Value::object([("y", Value::Null)])]),
            ),
        ]);
        let c = config_from_state(&block(), &state);
        assert_eq!(c.get("id"), Some(&Value::Null));
        assert_eq!(c.get("kind"), Some(&Value::from("k")));
        assert_eq!(c.get("rule"), Some(&Value::List(vec![rule(Value::Null)])));
        assert_eq!(c.get("old"), Some(&Value::List(vec![])));
        assert!(read_only_errors(&block(), &c).is_empty());
        assert_eq!(config_from_state(&block(), &Value::Null), Value::Null);
    }
}
