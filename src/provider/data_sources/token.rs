//! `data "launchdarkly_access_token"`: one token, by `id` (a GET) or by a
//! `name` exactly one visible token has (the full list, then a match).
//! Zero or several matches are errors naming what was found.

use super::schema::TokenItem;
use super::{list_tokens, model};
use crate::framework::typed::field;
use crate::framework::{
    Attr, Attribute, AttributePath, Block, Ctx, DataSource, Diagnostic, Diagnostics, Schema, Type,
    Value,
};
use crate::models::Token;
use crate::provider::Shared;
use crate::provider::diagnostics::api_error;
use async_trait::async_trait;
use std::sync::Arc;

/// Most candidates named in an error message.
const MAX_LISTED: usize = 20;

pub struct AccessTokenLookup {
    shared: Arc<Shared>,
}

impl AccessTokenLookup {
    pub fn new(shared: Arc<Shared>) -> AccessTokenLookup {
        AccessTokenLookup { shared }
    }
}

/// Exactly one of `id` or `name`, neither empty. Unknown values pass (an
/// unknown may still turn out null); the read checks the known values again.
pub fn validate(config: &Value) -> Diagnostics {
    let mut d = Diagnostics::new();
    let root = AttributePath::root();
    let get = |name: &str| field::<Attr<String>>(config, &root, name);
    let (id, name) = match (get("id"), get("name")) {
        (Ok(id), Ok(name)) => (id, name),
        (Err(e), _) | (_, Err(e)) => {
            d.push(e);
            return d;
        }
    };
    for (attr, v) in [("id", &id), ("name", &name)] {
        if v.known().is_some_and(|s| s.is_empty()) {
            d.attribute_error(
                AttributePath::attr(attr),
                format!("Empty {attr}"),
                format!("{attr} must not be empty."),
            );
        }
    }
    match (&id, &name) {
        (Attr::Known(_), Attr::Known(_)) => d.attribute_error(
            AttributePath::attr("name"),
            "Conflicting id and name",
            "Set exactly one of id or name to look up an access token, not both.",
        ),
        (Attr::Null, Attr::Null) => d.attribute_error(
            AttributePath::attr("id"),
            "Missing id or name",
            "Set exactly one of id (the token ID) or name (a name exactly one visible token has).",
        ),
        _ => {}
    }
    d
}

fn describe(t: &Token) -> String {
    let kind = if t.service_token.unwrap_or(false) {
        String::from("service token")
    } else {
        format!("personal token of member {}", t.member_id)
    };
    let created = model::rfc3339(t.creation_date).unwrap_or_else(|| t.creation_date.to_string());
    match t.name.as_deref() {
        Some(n) => format!("{} ({n:?}, {kind}, created {created})", t.id),
        None => format!("{} (unnamed, {kind}, created {created})", t.id),
    }
}

fn listing(tokens: &[&Token]) -> String {
    let mut out: Vec<String> = tokens
        .iter()
        .take(MAX_LISTED)
        .map(|t| describe(t))
        .collect();
    if tokens.len() > MAX_LISTED {
        out.push(format!("and {} more", tokens.len() - MAX_LISTED));
    }
    out.join("; ")
}

/// The one token named `name` among `all`, or an error naming the candidates.
pub fn pick_by_name<'a>(
    all: &'a [Token],
    name: &str,
    show_all: bool,
) -> Result<&'a Token, Diagnostic> {
    let exact: Vec<&Token> = all
        .iter()
        .filter(|t| t.name.as_deref() == Some(name))
        .collect();
    match exact.as_slice() {
        [one] => Ok(one),
        [] => {
            let lower = name.to_lowercase();
            let similar: Vec<&Token> = all
                .iter()
                .filter(|t| t.name.as_deref().is_some_and(|n| n.to_lowercase() == lower))
                .collect();
            let mut detail = format!(
                "None of the {} access tokens visible to the provider's credential is named {name:?}.",
                all.len()
            );
            if !similar.is_empty() {
                detail.push_str(&format!(
                    " Names that differ only in case: {}.",
                    listing(&similar)
                ));
            }
            if !show_all {
                detail.push_str(
                    " Other members' personal tokens are searched only with show_all = true (Admin role).",
                );
            }
            Err(Diagnostic::error("Access token not found", detail).at(AttributePath::attr("name")))
        }
        several => Err(Diagnostic::error(
            "Several access tokens have this name",
            format!(
                "{} access tokens are named {name:?}: {}. Look the token up by id instead.",
                several.len(),
                listing(several)
            ),
        )
        .at(AttributePath::attr("name"))),
    }
}

#[async_trait]
impl DataSource for AccessTokenLookup {
    fn name(&self) -> &'static str {
        "access_token"
    }

    /// The lookup keys (`id`, `name`, `show_all`), then every other token attribute, computed.
    fn schema(&self) -> Schema {
        let mut attributes = vec![
            Attribute::optional_computed(
                "id",
                Type::String,
                "The token ID to look up. Exactly one of `id` or `name` is required.",
            ),
            Attribute::optional_computed(
                "name",
                Type::String,
                "The exact name of the token to look up; exactly one visible token must have it. Exactly one of `id` or `name` is required.",
            ),
            Attribute::optional(
                "show_all",
                Type::Bool,
                "When looking up by `name`, also search other members' personal tokens (requires the Admin role). Default `false`.",
            ),
        ];
        // The lookup keys above are optional; every other token attribute is computed.
        let keys: Vec<String> = attributes.iter().map(|a| a.name.clone()).collect();
        attributes.extend(
            TokenItem::attributes()
                .into_iter()
                .filter(|a| !keys.contains(&a.name)),
        );
        Schema {
            version: 0,
            block: Block {
                description: "Looks up one API access token by `id` or by unique `name`.\n\n\
                    A lookup by `name` reads the whole token list and fails, naming the candidates, when no token or \
                    several tokens have that name. Secrets are never exposed: `token_suffix` holds the last four characters only."
                    .into(),
                attributes,
                ..Block::default()
            },
        }
    }

    async fn validate(&self, config: &Value) -> Diagnostics {
        validate(config)
    }

    async fn read(&self, ctx: &Ctx, config: Value) -> (Value, Diagnostics) {
        let mut d = validate(&config);
        if d.has_errors() {
            return (Value::Null, d);
        }
        let root = AttributePath::root();
        let args = (|| -> Result<_, Diagnostic> {
            Ok((
                field::<Option<String>>(&config, &root, "id")?,
                field::<Option<String>>(&config, &root, "name")?,
                field::<Option<bool>>(&config, &root, "show_all")?,
            ))
        })();
        let (id, name, show_all) = match args {
            Ok(a) => a,
            Err(e) => {
                d.push(e);
                return (Value::Null, d);
            }
        };
        let found = match (id, name) {
            (Some(id), _) => match self.shared.client() {
                Ok(client) => client.get_token(&id).await.map_err(|e| {
                    api_error(&format!("read access token {id}"), &e).at(AttributePath::attr("id"))
                }),
                Err(e) => Err(e),
            },
            (None, Some(name)) => {
                match list_tokens(ctx, &self.shared, show_all.unwrap_or(false)).await {
                    Ok(all) => pick_by_name(&all, &name, show_all.unwrap_or(false)).cloned(),
                    Err(e) => Err(e),
                }
            }
            (None, None) => Err(Diagnostic::error(
                "Missing id or name",
                "Set exactly one of id or name.",
            )),
        };
        match found {
            Ok(t) => {
                let mut state = model::token_value(&t);
                state.set("show_all", show_all.map(Value::Bool).unwrap_or(Value::Null));
                (state, d)
            }
            Err(e) => {
                d.push(e);
                (Value::Null, d)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::tests::token;
    use super::*;

    fn cfg(id: Value, name: Value) -> Value {
        let mut v = Value::null_object_of(&lookup_schema().implied_type());
        v.set("id", id);
        v.set("name", name);
        v
    }

    fn lookup_schema() -> Schema {
        AccessTokenLookup::new(Arc::default()).schema()
    }

    #[test]
    fn singular_has_every_token_attribute_at_the_top_level() {
        let s = lookup_schema();
        for item in TokenItem::attributes() {
            let name = item.name.as_str();
            let a = s.block.attribute(name).expect(name);
            assert_eq!(a.ty, item.ty, "{name}");
            assert!(a.computed, "{name}");
        }
        assert!(s.block.attribute("id").is_some_and(|a| a.optional));
        assert!(s.block.attribute("name").is_some_and(|a| a.optional));
        assert!(
            s.block
                .attributes
                .iter()
                .all(|a| !a.sensitive && !a.required)
        );
    }

    fn paths(d: &Diagnostics) -> Vec<String> {
        d.iter()
            .filter(|x| x.is_error())
            .map(|x| x.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn exactly_one_of_id_or_name() {
        let u = Value::unknown;
        let cases: Vec<(&str, Value, Vec<&str>)> = vec![
            ("id", cfg("abc".into(), Value::Null), vec![]),
            ("name", cfg(Value::Null, "ci".into()), vec![]),
            ("neither", cfg(Value::Null, Value::Null), vec!["id"]),
            ("both", cfg("abc".into(), "ci".into()), vec!["name"]),
            ("unknown id", cfg(u(), Value::Null), vec![]),
            ("unknown name", cfg(Value::Null, u()), vec![]),
            ("unknown id, known name", cfg(u(), "ci".into()), vec![]),
            ("empty id", cfg("".into(), Value::Null), vec!["id"]),
            ("empty name", cfg(Value::Null, "".into()), vec!["name"]),
        ];
        for (name, c, want) in cases {
            assert_eq!(paths(&validate(&c)), want, "{name}");
        }
    }

    fn named(id: &str, name: Option<&str>) -> Token {
        let mut t = token(id, 1);
        t.name = name.map(Into::into);
        t
    }

    #[test]
    fn picks_the_unique_name_and_names_candidates_otherwise() {
        let all = vec![
            named("a1", Some("ci")),
            named("b2", Some("dup")),
            named("c3", Some("dup")),
            named("d4", Some("Deploy")),
            named("e5", None),
        ];
        assert_eq!(
            pick_by_name(&all, "ci", false).map(|t| t.id.as_str()),
            Ok("a1")
        );

        let e = pick_by_name(&all, "dup", false).expect_err("ambiguous");
        assert_eq!(e.path, Some(AttributePath::attr("name")));
        assert!(
            e.detail.contains("b2") && e.detail.contains("c3"),
            "{}",
            e.detail
        );
        assert!(e.detail.starts_with("2 access tokens"), "{}", e.detail);

        let e = pick_by_name(&all, "deploy", false).expect_err("missing");
        assert_eq!(e.summary, "Access token not found");
        assert!(
            e.detail.contains("d4"),
            "case-insensitive candidates: {}",
            e.detail
        );
        assert!(e.detail.contains("show_all"), "{}", e.detail);
        let e = pick_by_name(&all, "nope", true).expect_err("missing");
        assert!(
            !e.detail.contains("show_all") && e.detail.contains("None of the 5"),
            "{}",
            e.detail
        );
    }

    #[test]
    fn long_candidate_lists_are_cut() {
        let all: Vec<Token> = (0..30)
            .map(|i| named(&format!("t{i:02}"), Some("x")))
            .collect();
        let e = pick_by_name(&all, "x", true).expect_err("ambiguous");
        assert!(e.detail.contains("and 10 more"), "{}", e.detail);
        assert!(!e.detail.contains("t25"), "{}", e.detail);
    }
}
