//! The engine on its own: a small typed resource (two attributes, one nested block) and a
//! data source, driven through plan, apply, read, import and upgrade with no protocol and
//! no real service behind them — proof that the framework stands alone.

use super::*;
use crate::framework::provider::{EphemeralResource, ListItem, ListRequest, ListResource, Opened};
use crate::framework::typed::field;
use crate::framework::{
    Attribute, Block, FromValue, IdentityAttribute, IdentitySchema, NestedBlock, Nesting,
};
use async_trait::async_trait;

/// One `tag { key = … }` block.
#[derive(Clone, Debug, PartialEq)]
struct Tag {
    key: String,
}

/// The `example_note` resource as a Rust struct.
#[derive(Clone, Debug, PartialEq, Default)]
struct Note {
    id: Option<String>,
    text: String,
    tags: Vec<Tag>,
}

impl FromValue for Tag {
    fn from_value(v: &Value, p: &AttributePath) -> Result<Self, Diagnostic> {
        Ok(Tag {
            key: field(v, p, "key")?,
        })
    }
}

impl FromValue for Note {
    fn from_value(v: &Value, p: &AttributePath) -> Result<Self, Diagnostic> {
        Ok(Note {
            id: field(v, p, "id")?,
            text: field(v, p, "text")?,
            tags: field::<Option<Vec<Tag>>>(v, p, "tag")?.unwrap_or_default(),
        })
    }
}

impl Note {
    fn to_value(&self) -> Value {
        Value::object([
            (
                "id",
                self.id.as_deref().map(Value::string).unwrap_or(Value::Null),
            ),
            ("text", Value::string(&self.text)),
            (
                "tag",
                Value::List(
                    self.tags
                        .iter()
                        .map(|t| Value::object([("key", Value::string(&t.key))]))
                        .collect(),
                ),
            ),
        ])
    }
}

fn note_schema() -> Schema {
    Schema {
        version: 1,
        block: Block {
            attributes: vec![
                Attribute::computed("id", Type::String, "ID."),
                Attribute::required("text", Type::String, "Text."),
            ],
            blocks: vec![NestedBlock::new(
                "tag",
                Nesting::List,
                Block {
                    attributes: vec![Attribute::required("key", Type::String, "Key.")],
                    ..Block::default()
                },
            )],
            ..Block::default()
        },
    }
}

/// Notes kept in memory: the "service".
#[derive(Default)]
struct Notes {
    store: Mutex<BTreeMap<String, Note>>,
}

impl Notes {
    fn get(&self, id: &str) -> Option<Note> {
        self.store.lock().ok()?.get(id).cloned()
    }
}

#[async_trait]
impl Resource for Notes {
    fn name(&self) -> &'static str {
        "note"
    }
    fn schema(&self) -> Schema {
        note_schema()
    }
    fn identity_schema(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema {
            version: 0,
            attributes: vec![IdentityAttribute::required("id", Type::String, "ID.")],
        })
    }
    async fn read(&self, _: &Ctx, state: Value, private: Vec<u8>) -> Outcome {
        let note = Note::from_value(&state, &AttributePath::root()).unwrap_or_default();
        let found = note.id.as_deref().and_then(|id| self.get(id));
        Outcome {
            state: found.map(|n| n.to_value()).unwrap_or(Value::Null),
            private,
            ..Outcome::default()
        }
    }
    async fn plan(&self, _: &Ctx, req: PlanRequest) -> Plan {
        Plan {
            planned: req.proposed,
            ..Plan::default()
        }
    }
    async fn apply(&self, _: &Ctx, req: ApplyRequest) -> Outcome {
        let mut o = Outcome::default();
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        if req.planned.is_null() {
            if let Ok(Note { id: Some(id), .. }) =
                Note::from_value(&req.prior, &AttributePath::root())
            {
                store.remove(&id);
            }
            return o;
        }
        match Note::from_value(&req.config, &AttributePath::root()) {
            Ok(mut note) => {
                let prior = Note::from_value(&req.prior, &AttributePath::root()).ok();
                note.id = prior
                    .and_then(|p| p.id)
                    .or_else(|| Some(format!("n{}", store.len() + 1)));
                store.insert(note.id.clone().unwrap_or_default(), note.clone());
                o.state = note.to_value();
            }
            Err(d) => o.diagnostics.push(d),
        }
        o
    }
    async fn import(&self, _: &Ctx, id: &str) -> Outcome {
        Outcome {
            state: self.get(id).map(|n| n.to_value()).unwrap_or(Value::Null),
            ..Outcome::default()
        }
    }
}

#[async_trait]
impl ListResource for Notes {
    fn name(&self) -> &'static str {
        "note"
    }
    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![Attribute::optional("prefix", Type::String, "Text prefix.")],
                ..Block::default()
            },
        }
    }
    async fn list(&self, _: &Ctx, req: ListRequest) -> (Vec<ListItem>, Diagnostics) {
        let prefix = req
            .config
            .get("prefix")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        let items = store
            .values()
            .filter(|n| n.text.starts_with(&prefix))
            .map(|n| ListItem {
                object: n.to_value(),
                display_name: n.text.clone(),
            })
            .collect();
        (items, Diagnostics::new())
    }
}

/// A data source that fails for `text = "fail"` after producing a value.
struct Echo;

#[async_trait]
impl DataSource for Echo {
    fn name(&self) -> &'static str {
        "echo"
    }
    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![Attribute::required("text", Type::String, "Text.")],
                ..Block::default()
            },
        }
    }
    async fn read(&self, _: &Ctx, config: Value) -> (Value, Diagnostics) {
        let mut d = Diagnostics::new();
        if config.get("text") == Some(&Value::string("fail")) {
            d.error("Echo failed", "asked to fail");
        }
        (config, d)
    }
}

/// An ephemeral "lease": open hands out a value, close releases it.
#[derive(Default)]
struct Lease {
    open: Mutex<Vec<Vec<u8>>>,
}

#[async_trait]
impl EphemeralResource for Lease {
    fn name(&self) -> &'static str {
        "lease"
    }
    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block {
                attributes: vec![
                    Attribute::required("holder", Type::String, "Who."),
                    Attribute::computed("secret", Type::String, "The secret.").sensitive(),
                ],
                ..Block::default()
            },
        }
    }
    async fn open(&self, _: &Ctx, config: Value) -> Opened {
        let mut o = Opened::default();
        if config.get("holder") == Some(&Value::string("nobody")) {
            o.result = config;
            o.diagnostics.error("Refused", "nobody may hold a lease");
            return o;
        }
        let private = b"lease-1".to_vec();
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(private.clone());
        let mut result = config;
        result.set("secret", Value::string("s3cr3t"));
        Opened {
            result,
            private,
            ..Opened::default()
        }
    }
    async fn close(&self, _: &Ctx, private: Vec<u8>) -> Diagnostics {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|p| *p != private);
        Diagnostics::new()
    }
}

struct Example {
    notes: Arc<Notes>,
    leases: Arc<Lease>,
}

#[async_trait]
impl Provider for Example {
    fn type_name(&self) -> &'static str {
        "example"
    }
    fn schema(&self) -> Schema {
        Schema {
            version: 0,
            block: Block::default(),
        }
    }
    async fn validate(&self, _: &Value) -> Diagnostics {
        Diagnostics::new()
    }
    async fn configure(&self, _: &Ctx, _: &str, _: &Value) -> Diagnostics {
        Diagnostics::new()
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![self.notes.clone()]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(Echo)]
    }
    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![self.leases.clone()]
    }
    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![self.notes.clone()]
    }
}

fn engine() -> (Engine, Arc<Notes>) {
    let (engine, notes, _) = engine_with_leases();
    (engine, notes)
}

fn engine_with_leases() -> (Engine, Arc<Notes>, Arc<Lease>) {
    let notes = Arc::new(Notes::default());
    let leases = Arc::new(Lease::default());
    let engine = Engine::new(Arc::new(Example {
        notes: Arc::clone(&notes),
        leases: Arc::clone(&leases),
    }));
    (engine, notes, leases)
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

fn config(text: &str, tags: &[&str]) -> Value {
    Note {
        id: None,
        text: text.into(),
        tags: tags.iter().map(|k| Tag { key: (*k).into() }).collect(),
    }
    .to_value()
}

#[tokio::test]
async fn a_typed_resource_lives_through_plan_apply_read_import_and_destroy() {
    let (engine, notes) = engine();
    assert!(engine.resources().contains_key("example_note"));
    assert!(engine.data_sources().contains_key("example_echo"));

    // Create: the baseline makes the computed `id` unknown before the resource plans.
    let cfg = config("hello", &["a"]);
    let plan = engine
        .plan_resource(
            "example_note",
            PlanRequest {
                prior: Value::Null,
                proposed: cfg.clone(),
                config: cfg.clone(),
                prior_private: vec![],
            },
        )
        .await;
    assert!(plan.planned.get("id").is_some_and(Value::is_unknown));
    assert_eq!(plan.planned.get("text"), Some(&Value::string("hello")));
    let created = engine
        .apply_resource(
            "example_note",
            ApplyRequest {
                prior: Value::Null,
                planned: plan.planned,
                config: cfg,
                planned_private: vec![],
            },
        )
        .await;
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
    let plan = engine
        .plan_resource(
            "example_note",
            PlanRequest {
                prior: created.state.clone(),
                proposed,
                config: cfg.clone(),
                prior_private: vec![],
            },
        )
        .await;
    assert_eq!(plan.planned.get("id"), Some(&Value::string("n1")));
    let updated = engine
        .apply_resource(
            "example_note",
            ApplyRequest {
                prior: created.state,
                planned: plan.planned,
                config: cfg,
                planned_private: vec![],
            },
        )
        .await;
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
    let gone = engine
        .apply_resource(
            "example_note",
            ApplyRequest {
                prior: updated.state.clone(),
                planned: Value::Null,
                config: Value::Null,
                planned_private: vec![],
            },
        )
        .await;
    assert!(gone.state.is_null());
    let read = engine
        .read_resource("example_note", updated.state, vec![])
        .await;
    assert!(read.state.is_null());
}

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
    let plan = engine
        .plan_resource(
            "example_note",
            PlanRequest {
                prior: Value::Null,
                proposed: cfg.clone(),
                config: cfg.clone(),
                prior_private: vec![],
            },
        )
        .await;
    assert_eq!(plan.identity, None, "a create has no identity until apply");
    let created = engine
        .apply_resource(
            "example_note",
            ApplyRequest {
                prior: Value::Null,
                planned: plan.planned,
                config: cfg.clone(),
                planned_private: vec![],
            },
        )
        .await;
    let id = Value::object([("id", Value::string("n1"))]);
    assert_eq!(created.identity, Some(id.clone()));
    let read = engine
        .read_resource("example_note", created.state.clone(), vec![])
        .await;
    assert_eq!(read.identity, Some(id.clone()));
    let plan = engine
        .plan_resource(
            "example_note",
            PlanRequest {
                prior: created.state.clone(),
                proposed: created.state.clone(),
                config: cfg,
                prior_private: vec![],
            },
        )
        .await;
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
