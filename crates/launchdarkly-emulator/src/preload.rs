//! Preloading: a JSON file of custom roles and tokens the emulator starts with
//! (`launchdarkly-emulator --preload FILE`), so a test suite starts from a known account.
//!
//! ```json
//! {
//!   "customRoles": [{ "key": "flag-editor", "name": "Flag editor" }],
//!   "tokens": [
//!     { "name": "existing-ci", "serviceToken": true, "role": "reader", "secret": "api-fixed-1" },
//!     { "name": "editor", "customRoleIds": ["flag-editor"], "memberEmail": "dev@example.test" }
//!   ]
//! }
//! ```
//!
//! Token fields are those of [`SeedToken`]; unknown fields are refused. Roles are added
//! beside the default fixtures (a key the store has already is kept as is); tokens are
//! added after them, in file order. A token with a
//! fixed `secret` that the store already has (a restart from `--state-file`) is skipped, so
//! preloading stays idempotent; tokens without one are added at every start.

use std::path::Path;

use serde::Deserialize;

use super::handle::EmulatorHandle;
use super::models::{CustomRole, Link, Links};
use super::seeding::{SeedToken, seed};
use super::shared::lock;
use super::store::{EmulatedToken, Store, stable_object_id};

/// A custom role to preload.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PreloadRole {
    /// The role key (its ID is derived from it, stable across runs).
    pub key: String,
    /// Display name (default: the key).
    #[serde(default)]
    pub name: Option<String>,
}

/// The contents of a preload file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Preload {
    /// Custom roles, added beside the configured fixtures.
    pub custom_roles: Vec<PreloadRole>,
    /// Tokens, seeded after start.
    pub tokens: Vec<SeedToken>,
}

impl Preload {
    /// Parses a preload document; errors name the JSON path.
    pub fn from_json(text: &str) -> Result<Preload, String> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let p: Preload = parse_document(de)?;
        for (i, r) in p.custom_roles.iter().enumerate() {
            if r.key.is_empty() {
                return Err(format!("customRoles[{i}].key: must not be empty"));
            }
        }
        Ok(p)
    }

    /// Reads and parses a preload file.
    pub fn load(path: &Path) -> Result<Preload, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read preload file {}: {e}", path.display()))?;
        Preload::from_json(&text).map_err(|e| format!("preload file {}: {e}", path.display()))
    }
}

/// Deserializes, reporting the line and column of the first error (serde_json's own).
fn parse_document(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
) -> Result<Preload, String> {
    let p = Preload::deserialize(&mut *de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(p)
}

impl EmulatorHandle {
    /// Adds the preload's custom roles, then its tokens. All or nothing: on an error (a
    /// token naming an unknown custom role) nothing is added. Returns the tokens added.
    pub fn preload(&self, p: &Preload) -> Result<Vec<EmulatedToken>, String> {
        let now = self.now_ms();
        let mut store = lock(&self.shared.store);
        let mut next = store.clone();
        for r in &p.custom_roles {
            add_role(&mut next, &r.key, r.name.as_deref().unwrap_or(&r.key));
        }
        let mut added = Vec::new();
        for (i, spec) in p.tokens.iter().enumerate() {
            if let Some(secret) = &spec.secret {
                if next.tokens.iter().any(|t| &t.secret == secret) {
                    continue;
                }
            }
            added.push(seed(&mut next, spec, now).map_err(|e| format!("tokens[{i}]: {e}"))?);
        }
        *store = next;
        self.shared.persist(&store);
        Ok(added)
    }
}

/// Adds a custom role fixture unless its key exists (the ID is derived from the key, as for
/// the configured fixtures).
pub(crate) fn add_role(store: &mut Store, key: &str, name: &str) {
    if store.roles.iter().any(|r| r.key == key) {
        return;
    }
    let id = stable_object_id(key);
    let mut links = Links::new();
    links.insert(
        String::from("self"),
        Link::json(format!("/api/v2/roles/{id}")),
    );
    store.roles.push(CustomRole {
        id,
        key: key.to_owned(),
        name: Some(name.to_owned()),
        links: Some(links),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Emulator, EmulatorConfig};

    const DOC: &str = r#"{
      "customRoles": [{"key": "flag-editor", "name": "Flag editor"}, {"key": "viewer"}],
      "tokens": [
        {"name": "existing-ci", "serviceToken": true, "role": "reader", "secret": "api-fixed-1"},
        {"name": "editor", "customRoleIds": ["flag-editor"], "memberEmail": "dev@example.test"}
      ]
    }"#;

    #[test]
    fn parses_roles_and_tokens() {
        let p = Preload::from_json(DOC).expect("parse");
        assert_eq!(
            p.custom_roles,
            vec![
                PreloadRole {
                    key: "flag-editor".into(),
                    name: Some("Flag editor".into())
                },
                PreloadRole {
                    key: "viewer".into(),
                    name: None
                }
            ]
        );
        assert_eq!(p.tokens.len(), 2);
        assert!(p.tokens[0].service_token);
        assert_eq!(p.tokens[1].custom_role_ids, vec!["flag-editor".to_owned()]);
        assert_eq!(Preload::from_json("{}").expect("empty"), Preload::default());
    }

    #[test]
    fn refuses_unknown_fields_bad_types_and_empty_keys() {
        let e = Preload::from_json(r#"{"tokens": [{"nmae": "x"}]}"#).expect_err("typo");
        assert!(e.contains("unknown field `nmae`"), "{e}");
        let e = Preload::from_json(r#"{"tokens": {}}"#).expect_err("type");
        assert!(e.contains("invalid type"), "{e}");
        let e = Preload::from_json(r#"{"customRoles": [{"key": ""}]}"#).expect_err("empty");
        assert_eq!(e, "customRoles[0].key: must not be empty");
        let e = Preload::from_json("{} x").expect_err("trailing");
        assert!(e.contains("trailing"), "{e}");
    }

    #[tokio::test]
    async fn a_started_emulator_holds_the_preloaded_roles_and_tokens() {
        let p = Preload::from_json(DOC).expect("parse");
        let emu = Emulator::start(EmulatorConfig::default())
            .await
            .expect("start");
        let added = emu.preload(&p).expect("preload");
        assert_eq!(added.len(), 2);
        let roles: Vec<String> = emu.custom_roles().into_iter().map(|r| r.key).collect();
        assert!(roles.contains(&"flag-editor".to_owned()), "{roles:?}");
        assert!(
            roles.contains(&"ci-reader".to_owned()),
            "defaults stay: {roles:?}"
        );
        let ci = emu
            .tokens()
            .into_iter()
            .find(|t| t.name.as_deref() == Some("existing-ci"))
            .expect("preloaded token");
        assert_eq!(ci.secret, "api-fixed-1");
        assert!(ci.service_token);
        assert_eq!(ci.role.as_deref(), Some("reader"));
        let editor = &added[1];
        let flag_editor = emu
            .custom_roles()
            .into_iter()
            .find(|r| r.key == "flag-editor")
            .expect("role");
        assert_eq!(editor.custom_role_ids, vec![flag_editor.id]);
        assert_eq!(editor.role, None);

        // Again (a restart from a state file): the fixed-secret token is not duplicated.
        let again = emu.preload(&p).expect("preload again");
        assert_eq!(
            again
                .iter()
                .map(|t| t.name.clone().unwrap_or_default())
                .collect::<Vec<_>>(),
            vec!["editor".to_owned()]
        );
    }

    #[tokio::test]
    async fn an_unknown_custom_role_adds_nothing_and_names_the_token() {
        let p = Preload::from_json(
            r#"{"tokens": [{"name": "ok", "secret": "api-a"}, {"customRoleIds": ["nope"]}]}"#,
        )
        .expect("parse");
        let emu = Emulator::start(EmulatorConfig::default())
            .await
            .expect("start");
        let (tokens, roles) = (emu.tokens().len(), emu.custom_roles().len());
        let p = Preload {
            custom_roles: vec![PreloadRole {
                key: "new-role".into(),
                name: None,
            }],
            ..p
        };
        let e = emu.preload(&p).expect_err("unknown role");
        assert_eq!(e, "tokens[1]: unknown custom role \"nope\"");
        assert_eq!(emu.tokens().len(), tokens, "all or nothing: tokens");
        assert_eq!(emu.custom_roles().len(), roles, "all or nothing: roles");
    }

    #[test]
    fn load_names_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("seed.json");
        std::fs::write(&path, r#"{"tokens": [{"role": 1}]}"#).expect("write");
        let e = Preload::load(&path).expect_err("bad");
        assert!(
            e.starts_with(&format!("preload file {}: ", path.display())),
            "{e}"
        );
        let e = Preload::load(&dir.path().join("missing.json")).expect_err("missing");
        assert!(e.starts_with("cannot read preload file"), "{e}");
    }
}
