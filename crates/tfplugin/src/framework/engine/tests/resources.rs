//! Engine tests of the managed resource: its lifecycle, the plan baseline, identity and
//! import, the state-upgrade path, and Stop.

use super::*;

/// Plans `example_note` from `prior` to `proposed` under `config`, with no private bytes.
async fn plan_note(engine: &Engine, prior: Value, proposed: Value, config: Value) -> Plan {
    engine
        .plan_resource(
            "example_note",
            PlanRequest {
                prior,
                proposed,
                config,
                prior_private: vec![],
            },
        )
        .await
}

/// Applies `example_note` from `prior` to `planned` under `config`, with no private bytes.
async fn apply_note(engine: &Engine, prior: Value, planned: Value, config: Value) -> Outcome {
    engine
        .apply_resource(
            "example_note",
            ApplyRequest {
                prior,
                planned,
                config,
                planned_private: vec![],
            },
        )
        .await
}

#[tokio::test]
async fn a_typed_resource_lives_through_plan_apply_read_import_and_destroy() {
    let (engine, notes) = engine();
    assert!(engine.resources().contains_key("example_note"));
    assert!(engine.data_sources().contains_key("example_echo"));

    // Create: the baseline makes the computed `id` unknown before the resource plans.
    let cfg = config("hello", &["a"]);
    let plan = plan_note(&engine, Value::Null, cfg.clone(), cfg.clone()).await;
    assert!(plan.planned.get("id").is_some_and(Value::is_unknown));
    assert_eq!(plan.planned.get("text"), Some(&Value::string("hello")));
    let created = apply_note(&engine, Value::Null, plan.planned, cfg).await;
    assert!(
        !created.diagnostics.has_errors(),
        "{:?}",
        created.diagnostics
    );
    let note = Note::from_value(&created.state, &AttributePath::root()).expect("typed state");
    assert_eq!(note.id.as_deref(), Some("n1"));
    assert_eq!(note.tags, vec![Tag { key: "a".into() }]);

    // Update keeps the id (an update's plan gets no baseline).
    let cfg = config("changed", &["a", "b"]);
    let mut proposed = cfg.clone();
    proposed.set("id", Value::string("n1"));
    let plan = plan_note(&engine, created.state.clone(), proposed, cfg.clone()).await;
    assert_eq!(plan.planned.get("id"), Some(&Value::string("n1")));
    let updated = apply_note(&engine, created.state, plan.planned, cfg).await;
    assert_eq!(notes.get("n1").map(|n| n.text), Some("changed".into()));

    // Read and import see the service's object.
    let read = engine
        .read_resource("example_note", updated.state.clone(), b"p".to_vec())
        .await;
    assert_eq!(read.state, updated.state);
    assert_eq!(read.private, b"p");
    let imported = engine.import_resource("example_note", "n1", None).await;
    assert_eq!(imported.state, Some(updated.state.clone()));
    let missing = engine.import_resource("example_note", "nope", None).await;
    assert_eq!(missing.state, None, "a null import is no object");

    // Destroy, then a refresh finds nothing.
    let gone = apply_note(&engine, updated.state.clone(), Value::Null, Value::Null).await;
    assert!(gone.state.is_null());
    let read = engine
        .read_resource("example_note", updated.state, vec![])
        .await;
    assert!(read.state.is_null());
}

#[test]
fn the_plan_baseline_leaves_configured_computed_attributes_alone() {
    let mut schema = note_schema();
    schema.block.attributes.push(Attribute::optional_computed(
        "label",
        Type::String,
        "Label.",
    ));
    let mut cfg = config("x", &[]);
    cfg.set("label", Value::string("mine"));
    let mut proposed = cfg.clone();
    plan_baseline(&schema, &mut proposed, &cfg);
    assert!(proposed.get("id").is_some_and(Value::is_unknown));
    assert_eq!(proposed.get("label"), Some(&Value::string("mine")));
    assert_eq!(proposed.get("text"), Some(&Value::string("x")));
}

#[tokio::test]
async fn identity_comes_from_the_state_and_imports_by_identity() {
    let (engine, _) = engine();
    assert!(engine.identity_schema("example_note").is_some());
    let cfg = config("hello", &[]);
    let plan = plan_note(&engine, Value::Null, cfg.clone(), cfg.clone()).await;
    assert_eq!(plan.identity, None, "a create has no identity until apply");
    let created = apply_note(&engine, Value::Null, plan.planned, cfg.clone()).await;
    let id = Value::object([("id", Value::string("n1"))]);
    assert_eq!(created.identity, Some(id.clone()));
    let read = engine
        .read_resource("example_note", created.state.clone(), vec![])
        .await;
    assert_eq!(read.identity, Some(id.clone()));
    let plan = plan_note(&engine, created.state.clone(), created.state.clone(), cfg).await;
    assert_eq!(
        plan.identity,
        Some(id.clone()),
        "an update keeps the identity"
    );
    let imported = engine.import_resource("example_note", "", Some(&id)).await;
    assert_eq!(imported.state, Some(created.state));
    assert_eq!(imported.identity, Some(id));
    let bad = Value::object([("id", Value::Null)]);
    let refused = engine.import_resource("example_note", "", Some(&bad)).await;
    assert!(refused.state.is_none() && refused.diagnostics.has_errors());
    let raw = RawState {
        json: br#"{"id":"n1","gone":true}"#.to_vec(),
        flatmap: false,
    };
    let (upgraded, d) = engine.upgrade_identity("example_note", &raw);
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(upgraded, Some(Value::object([("id", Value::string("n1"))])));
}

#[tokio::test]
async fn state_upgrade_refuses_flatmap_and_bad_json_and_decodes_leniently() {
    let (engine, _) = engine();
    let flat = RawState {
        json: vec![],
        flatmap: true,
    };
    let (v, d) = engine
        .upgrade_resource_state("example_note", 0, &flat)
        .await;
    assert!(v.is_none() && d.has_errors());
    let empty = RawState::default();
    let (v, d) = engine
        .upgrade_resource_state("example_note", 0, &empty)
        .await;
    assert!(v.is_none() && !d.has_errors());
    let bad = RawState {
        json: b"{not json".to_vec(),
        flatmap: false,
    };
    let (v, d) = engine.upgrade_resource_state("example_note", 0, &bad).await;
    assert!(v.is_none() && d.has_errors());
    let old = RawState {
        json: br#"{"id":"n1","text":"t","tag":[],"retired_attribute":1}"#.to_vec(),
        flatmap: false,
    };
    let (v, d) = engine.upgrade_resource_state("example_note", 0, &old).await;
    assert!(!d.has_errors(), "{d:?}");
    let v = v.expect("upgraded");
    assert_eq!(v.get("text"), Some(&Value::string("t")));
    assert!(v.get("retired_attribute").is_none());
}

#[tokio::test]
async fn stop_cancels_calls_in_flight_and_later_calls_start_afresh() {
    let (engine, _) = engine();
    let before = engine.ctx();
    engine.stop();
    assert!(before.cancel.is_cancelled());
    assert!(!engine.ctx().cancel.is_cancelled());
}
