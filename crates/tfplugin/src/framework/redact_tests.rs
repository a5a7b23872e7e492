//! No secret in any `Debug`: shapes by default, the schema's sensitive flags when redacted.

use crate::framework::engine::{Imported, RawState};
use crate::framework::value::Refinements;
use crate::framework::{
    ApplyRequest, Attribute, Block, NestedBlock, Nesting, Opened, Outcome, Plan, PlanRequest,
    Renewed, Type, Value,
};

const SECRET: &str = "api-s3cr3t-7f2c";

fn block() -> Block {
    Block {
        attributes: vec![
            Attribute::required("role", Type::String, ""),
            Attribute::optional("count", Type::Number, ""),
            Attribute::computed("token", Type::String, "").sensitive(),
            Attribute::optional("other_secret", Type::String, "").sensitive(),
        ],
        blocks: vec![NestedBlock::new(
            "rule",
            Nesting::List,
            Block {
                attributes: vec![
                    Attribute::required("effect", Type::String, ""),
                    Attribute::optional("key", Type::String, "").sensitive(),
                ],
                ..Block::default()
            },
        )],
        ..Block::default()
    }
}

fn value() -> Value {
    Value::object([
        ("role", Value::from("reader")),
        ("count", Value::int(42)),
        ("token", Value::from(SECRET)),
        ("other_secret", Value::Null),
        (
            "rule",
            Value::List(vec![Value::object([
                ("effect", Value::from("allow")),
                ("key", Value::from(SECRET)),
            ])]),
        ),
    ])
}

/// The secret, and the secret as the bytes a derived `Debug` of `Vec<u8>` would print.
fn assert_no_secret(shown: &str) {
    assert!(!shown.contains("s3cr3t"), "{shown}");
    let bytes = format!("{:?}", SECRET.as_bytes());
    let bytes = bytes.trim_matches(|c| c == '[' || c == ']');
    assert!(!shown.contains(bytes), "{shown}");
}

#[test]
fn value_debug_prints_the_shape_only() {
    let shown = format!("{:?}", value());
    assert_no_secret(&shown);
    assert!(
        !shown.contains("reader") && !shown.contains("42"),
        "{shown}"
    );
    assert!(
        shown.contains("role") && shown.contains("String(<6 chars>)"),
        "{shown}"
    );
    let map = Value::Map([(SECRET.to_string(), Value::Bool(true))].into());
    assert_no_secret(&format!("{map:?}"));
    let unknown = Value::Unknown(Refinements {
        string_prefix: Some(SECRET.into()),
        ..Refinements::default()
    });
    assert_no_secret(&format!("{unknown:?}"));
}

#[test]
fn redacted_hides_exactly_what_the_schema_marks_sensitive() {
    let v = value();
    let b = block();
    let shown = format!("{:?}", v.redacted(&b));
    assert_no_secret(&shown);
    for clear in ["\"reader\"", "42", "\"allow\"", "\"other_secret\": null"] {
        assert!(shown.contains(clear), "{clear} in {shown}");
    }
    assert_eq!(shown.matches("<sensitive>").count(), 2, "{shown}");
}

#[test]
fn requests_and_results_never_print_secrets_or_private_bytes() {
    let (v, b) = (value(), block());
    let private = SECRET.as_bytes().to_vec();
    let plan_req = PlanRequest {
        prior: v.clone(),
        proposed: v.clone(),
        config: v.clone(),
        prior_private: private.clone(),
    };
    let apply_req = ApplyRequest {
        prior: v.clone(),
        planned: v.clone(),
        config: v.clone(),
        planned_private: private.clone(),
    };
    let outcome = Outcome {
        state: v.clone(),
        private: private.clone(),
        identity: Some(v.clone()),
        ..Outcome::default()
    };
    let plan = Plan {
        planned: v.clone(),
        private: private.clone(),
        ..Plan::default()
    };
    let opened = Opened {
        result: v.clone(),
        private: private.clone(),
        ..Opened::default()
    };
    let shapes = [
        format!("{plan_req:?}"),
        format!("{apply_req:?}"),
        format!("{outcome:?}"),
        format!("{plan:?}"),
        format!("{opened:?}"),
        format!(
            "{:?}",
            Renewed {
                private: private.clone(),
                ..Renewed::default()
            }
        ),
        format!(
            "{:?}",
            Imported {
                state: Some(v.clone()),
                private: private.clone(),
                ..Imported::default()
            }
        ),
        format!(
            "{:?}",
            RawState {
                json: format!("{{\"token\":\"{SECRET}\"}}").into_bytes(),
                flatmap: false
            }
        ),
    ];
    for shown in &shapes {
        assert_no_secret(shown);
        assert!(
            shown.contains(&format!("<{} bytes>", private.len())) || shown.contains("RawState"),
            "{shown}"
        );
    }
    let redacted = [
        format!("{:?}", plan_req.redacted(&b)),
        format!("{:?}", apply_req.redacted(&b)),
        format!("{:?}", outcome.redacted(&b)),
        format!("{:?}", plan.redacted(&b)),
        format!("{:?}", opened.redacted(&b)),
    ];
    for shown in &redacted {
        assert_no_secret(shown);
        assert!(
            shown.contains("\"reader\"") && shown.contains("<sensitive>"),
            "{shown}"
        );
    }
}
