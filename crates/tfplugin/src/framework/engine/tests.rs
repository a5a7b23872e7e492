//! The engine on its own: a small typed resource (two attributes, one nested block) and a
//! data source, driven through plan, apply, read, import and upgrade with no protocol and
//! no real service behind them — proof that the framework stands alone. This file holds the
//! fixtures (the kinds and the provider serving them); the tests are in `tests/`.

mod kinds;
mod resources;

use super::*;
use crate::framework::diagnostics::Diagnostic;
use crate::framework::path::AttributePath;
use crate::framework::provider::{ApplyRequest, Outcome, Plan, PlanRequest};
use crate::framework::provider::{EphemeralResource, ListItem, ListRequest, ListResource, Opened};
use crate::framework::schema::Schema;
use crate::framework::test_support::StubProvider;
use crate::framework::typed::field;
use crate::framework::types::Type;
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

fn engine() -> (Engine, Arc<Notes>) {
    let (engine, notes, _) = engine_with_leases();
    (engine, notes)
}

fn engine_with_leases() -> (Engine, Arc<Notes>, Arc<Lease>) {
    let notes = Arc::new(Notes::default());
    let leases = Arc::new(Lease::default());
    let engine = Engine::new(Arc::new(StubProvider {
        type_name: "example",
        resources: vec![notes.clone()],
        data_sources: vec![Arc::new(Echo)],
        ephemeral_resources: vec![leases.clone()],
        list_resources: vec![notes.clone()],
    }));
    (engine, notes, leases)
}

fn config(text: &str, tags: &[&str]) -> Value {
    Note {
        id: None,
        text: text.into(),
        tags: tags.iter().map(|k| Tag { key: (*k).into() }).collect(),
    }
    .to_value()
}
