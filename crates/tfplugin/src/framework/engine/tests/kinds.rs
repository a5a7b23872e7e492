//! Engine tests across kinds: unknown types, data sources, ephemeral and list resources,
//! read-only attributes and generated configuration.

use super::*;

#[tokio::test]
async fn unknown_types_are_diagnostics_not_panics() {
    let (engine, _) = engine();
    let o = engine
        .read_resource("example_nope", Value::Null, vec![])
        .await;
    assert!(o.diagnostics.has_errors());
    let (state, d) = engine.read_data_source("example_nope", Value::Null).await;
    assert!(state.is_none() && d.has_errors());
    assert!(
        engine
            .validate_resource("nope", &Value::Null)
            .await
            .has_errors()
    );
}

#[tokio::test]
async fn a_failing_data_source_returns_no_state() {
    let (engine, _) = engine();
    let ok = Value::object([("text", Value::string("hi"))]);
    let (state, d) = engine.read_data_source("example_echo", ok.clone()).await;
    assert_eq!(state, Some(ok));
    assert!(!d.has_errors());
    let bad = Value::object([("text", Value::string("fail"))]);
    let (state, d) = engine.read_data_source("example_echo", bad).await;
    assert!(state.is_none() && d.has_errors());
}

#[tokio::test]
async fn an_ephemeral_resource_opens_and_closes_and_an_error_yields_no_result() {
    let (engine, _, leases) = engine_with_leases();
    assert!(engine.ephemeral_resources().contains_key("example_lease"));
    let cfg = Value::object([("holder", Value::string("me")), ("secret", Value::Null)]);
    let opened = engine.open_ephemeral("example_lease", cfg).await;
    assert!(!opened.diagnostics.has_errors());
    assert_eq!(opened.result.get("secret"), Some(&Value::string("s3cr3t")));
    assert_eq!(leases.open.lock().map(|o| o.len()).unwrap_or(0), 1);
    // Stop does not cancel a close: what was opened is always released.
    engine.stop();
    let d = engine
        .close_ephemeral("example_lease", opened.private)
        .await;
    assert!(!d.has_errors());
    assert_eq!(leases.open.lock().map(|o| o.len()).unwrap_or(9), 0);
    let refused = Value::object([("holder", Value::string("nobody")), ("secret", Value::Null)]);
    let opened = engine.open_ephemeral("example_lease", refused).await;
    assert!(opened.diagnostics.has_errors() && opened.result.is_null());
    let renewed = engine.renew_ephemeral("example_lease", b"p".to_vec()).await;
    assert_eq!(
        renewed.private, b"p",
        "the default renew keeps the private bytes"
    );
    assert!(
        engine
            .open_ephemeral("example_nope", Value::Null)
            .await
            .diagnostics
            .has_errors()
    );
}

#[tokio::test]
async fn a_list_resource_finds_objects_with_their_identity_up_to_the_limit() {
    let (engine, notes) = engine();
    for (id, text) in [("n1", "alpha"), ("n2", "alpine"), ("n3", "beta")] {
        notes.store.lock().expect("store").insert(
            id.into(),
            Note {
                id: Some(id.into()),
                text: text.into(),
                tags: vec![],
            },
        );
    }
    let req = |prefix: &str, include: bool, limit: i64| ListRequest {
        config: Value::object([("prefix", Value::string(prefix))]),
        include_resource_object: include,
        limit,
    };
    let (found, d) = engine.list("example_note", req("al", false, 100)).await;
    assert!(!d.has_errors(), "{d:?}");
    let ids: Vec<&Value> = found.iter().filter_map(|f| f.identity.get("id")).collect();
    assert_eq!(ids, [&Value::string("n1"), &Value::string("n2")]);
    assert!(
        found.iter().all(|f| f.object.is_none()),
        "objects only when asked"
    );
    let (found, _) = engine.list("example_note", req("", true, 2)).await;
    assert_eq!(found.len(), 2, "the limit is applied");
    assert_eq!(found[0].display_name, "alpha");
    assert!(
        found[0]
            .object
            .as_ref()
            .is_some_and(|o| o.get("text") == Some(&Value::string("alpha")))
    );
    let (_, d) = engine.list("example_nope", req("", false, 1)).await;
    assert!(d.has_errors());
}

#[tokio::test]
async fn every_kind_refuses_a_configured_read_only_attribute_at_its_path() {
    let (engine, _) = engine();
    let note = Value::object([("id", Value::string("x")), ("text", Value::string("t"))]);
    let d = engine.validate_resource("example_note", &note).await;
    let paths: Vec<String> = d
        .iter()
        .filter(|x| x.is_error())
        .map(|x| x.path.as_ref().map(ToString::to_string).unwrap_or_default())
        .collect();
    assert_eq!(paths, ["id"]);
    assert_eq!(
        d.iter().next().map(|x| x.summary.as_str()),
        Some("Invalid Configuration for Read-Only Attribute")
    );
    let lease = Value::object([
        ("holder", Value::string("me")),
        ("secret", Value::unknown()),
    ]);
    assert!(
        engine
            .validate_ephemeral("example_lease", &lease)
            .await
            .has_errors()
    );
    let clean = Value::object([("id", Value::Null), ("text", Value::string("t"))]);
    assert!(
        engine
            .validate_resource("example_note", &clean)
            .await
            .is_empty()
    );
    let echo = Value::object([("text", Value::string("t"))]);
    assert!(
        engine
            .validate_data_source("example_echo", &echo)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn generated_config_defaults_to_what_the_schema_lets_a_configuration_set() {
    let (engine, _) = engine();
    // No resource writes its own configuration: the capability stays off.
    assert!(!engine.generates_config());
    let state = Note {
        id: Some("n1".into()),
        text: "t".into(),
        tags: vec![Tag { key: "k".into() }],
    }
    .to_value();
    let (config, d) = engine.generate_resource_config("example_note", state).await;
    assert!(d.is_empty(), "{d:?}");
    let config = config.expect("a configuration");
    assert_eq!(config.get("id"), Some(&Value::Null));
    assert_eq!(config.get("text"), Some(&Value::string("t")));
    let (none, _) = engine
        .generate_resource_config("example_note", Value::Null)
        .await;
    assert_eq!(none, Some(Value::Null));
    let (bad, d) = engine
        .generate_resource_config("example_nope", Value::Null)
        .await;
    assert!(bad.is_none() && d.has_errors());
}
