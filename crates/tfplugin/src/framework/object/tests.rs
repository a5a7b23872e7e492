//! The `object!` macro on small objects: schema, type, codecs, names and Debug.

use super::{CtyType, Object, Set, ToValue};
use crate::framework::schema::Nesting;
use crate::framework::types::Type;
use crate::framework::value::Value;
use crate::framework::{AttributePath, FromValue};
use std::collections::BTreeMap;

crate::object! {
    /// A statement.
    struct Rule {
        effect: String = required("allow or deny"),
        actions: Option<Vec<String>> = optional("Actions."),
    }
}

crate::object! {
    struct Thing {
        id: Option<String> = computed("ID."),
        count: i64 = optional_computed("Count."),
        labels: BTreeMap<String, String> = optional("Labels."),
        rules: Vec<Rule> = optional("Rules."),
        password: Option<String> = optional("Password.").sensitive(),
        old: Option<bool> = optional("Old.").deprecated(),
    }
}

fn sample() -> Thing {
    Thing {
        id: Some("t1".into()),
        count: 3,
        labels: BTreeMap::from([("team".to_string(), "a".to_string())]),
        rules: vec![Rule {
            effect: "allow".into(),
            actions: None,
        }],
        password: Some("hunter2-very-secret".into()),
        old: None,
    }
}

#[test]
fn attributes_come_from_the_fields_in_order_with_flags_and_types() {
    let a = Thing::attributes();
    let names: Vec<&str> = a.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["id", "count", "labels", "rules", "password", "old"]);
    assert!(a[0].computed && !a[0].optional);
    assert!(a[1].computed && a[1].optional);
    assert_eq!(a[2].ty, Type::map(Type::String));
    assert_eq!(a[3].ty, Type::list(Rule::cty()));
    assert!(a[4].sensitive && a[5].deprecated);
    assert_eq!(a[0].description, "ID.");
}

#[test]
fn encode_then_decode_round_trips_and_nulls_stay_null() {
    let t = sample();
    let v = t.to_value();
    assert_eq!(v.get("old"), Some(&Value::Null));
    let rule = &v
        .get("rules")
        .and_then(Value::as_elements)
        .unwrap_or_default()[0];
    assert_eq!(rule.get("actions"), Some(&Value::Null));
    let back = Thing::from_value(&v, &AttributePath::root()).expect("decode");
    assert_eq!(back, t);
}

#[test]
fn decode_errors_carry_the_attribute_path() {
    let mut v = sample().to_value();
    v.set("count", Value::string("three"));
    let e = Thing::from_value(&v, &AttributePath::root()).expect_err("bad count");
    assert_eq!(e.path, Some(AttributePath::attr("count")));
}

#[test]
fn debug_hides_sensitive_attributes() {
    let shown = format!("{:?}", sample());
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(
        shown.contains("<sensitive>") && shown.contains("t1"),
        "{shown}"
    );
}

crate::object! {
    /// A rule as a nested block.
    struct Statement {
        effect: String = required("allow or deny"),
        resources: Option<Vec<String>> = optional("Resources."),
    }
}

crate::object! {
    /// Attributes and blocks with every flag a managed resource uses.
    struct Managed {
        id: Option<String> = computed("ID."),
        tags: Option<Set<String>> = optional("Tags."),
        secret: Option<String> = optional_computed("Secret.").sensitive(),
        legacy: Option<String> = optional("Legacy.").deprecated_because("Use tags."),
        statement: Vec<Statement> = list_block("Statements."),
        old_statement: Vec<Statement> = list_block("Old statements.").deprecated_because("Use statement."),
    }
}

#[test]
fn blocks_and_flags_come_from_the_fields() {
    let a = Managed::attributes();
    let names: Vec<&str> = a.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["id", "tags", "secret", "legacy"]);
    assert_eq!(a[1].ty, Type::set(Type::String));
    assert!(a[2].optional && a[2].computed && a[2].sensitive);
    assert!(a[3].deprecated && a[3].deprecation_message == "Use tags.");
    let b = Managed::blocks();
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].type_name, "statement");
    assert_eq!(b[0].nesting, Nesting::List);
    assert_eq!(b[0].block.description, "Statements.");
    assert_eq!(b[0].block.attributes, Statement::attributes());
    assert!(!b[0].block.deprecated);
    assert!(b[1].block.deprecated && b[1].deprecation_message == "Use statement.");
    assert_eq!(Managed::block().implied_type(), Managed::cty());
}

#[test]
fn names_are_constants_equal_to_the_fields() {
    assert_eq!(Managed::old_statement, "old_statement");
    assert_eq!(Statement::resources, "resources");
    let v = Managed::default().to_value();
    for n in [
        Managed::id,
        Managed::tags,
        Managed::secret,
        Managed::legacy,
        Managed::statement,
    ] {
        assert!(v.get(n).is_some(), "{n}");
    }
}

#[test]
fn blocks_and_sets_round_trip_and_null_blocks_are_none() {
    let m = Managed {
        tags: Some(Set(vec!["a".into(), "b".into()])),
        statement: vec![Statement {
            effect: "allow".into(),
            resources: Some(vec!["r".into()]),
        }],
        ..Managed::default()
    };
    let v = m.to_value();
    assert_eq!(
        v.get(Managed::tags),
        Some(&Value::Set(vec!["a".into(), "b".into()]))
    );
    assert_eq!(v.get(Managed::old_statement), Some(&Value::List(vec![])));
    assert_eq!(
        Managed::from_value(&v, &AttributePath::root()).expect("decode"),
        m
    );
    let mut nulls = v.clone();
    nulls.set(Managed::statement, Value::Null);
    let back = Managed::from_value(&nulls, &AttributePath::root()).expect("decode");
    assert!(back.statement.is_empty());
    let mut bad = v;
    bad.set(
        Managed::statement,
        Value::List(vec![Value::object([("effect", Value::int(1))])]),
    );
    let e = Managed::from_value(&bad, &AttributePath::root()).expect_err("bad effect");
    assert_eq!(
        e.path,
        Some(
            AttributePath::attr("statement")
                .at_index(0)
                .at_attr("effect")
        )
    );
}
