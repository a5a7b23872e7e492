//! How an API `Token` becomes a data source value: timestamps as RFC 3339,
//! statements as objects, empty collections as empty lists, and the secret
//! reduced to its last four characters whatever the server sent.

use super::schema::{StatementItem, TokenItem};
use crate::framework::Value;
use crate::framework::object::ToValue;
use crate::models::{Statement, Token};
use crate::provider::access_token::model::StatementModel;
use crate::secret::last4;
use chrono::{DateTime, SecondsFormat};
use std::cmp::Ordering;

/// Epoch milliseconds as an RFC 3339 UTC timestamp with milliseconds,
/// e.g. `2021-08-03T14:40:02.644Z`. `None` outside chrono's range.
pub fn rfc3339(epoch_ms: i64) -> Option<String> {
    DateTime::from_timestamp_millis(epoch_ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// `lastUsed`: absent or `0` (the spec's example for a never-used token) is null.
fn last_used(ms: Option<i64>) -> Option<String> {
    ms.filter(|ms| *ms > 0).and_then(rfc3339)
}

/// A statement as the resource reads it (empty lists null), with its effect always set.
fn statement(s: &Statement) -> StatementItem {
    let m = StatementModel::from_api(s);
    StatementItem {
        effect: s.effect.as_str().to_string(),
        resources: m.resources,
        not_resources: m.not_resources,
        actions: m.actions,
        not_actions: m.not_actions,
    }
}

/// The result item for `t`.
pub fn token_item(t: &Token) -> TokenItem {
    TokenItem {
        id: t.id.clone(),
        name: t.name.clone(),
        description: t.description.clone(),
        role: t.role.clone().filter(|r| !r.is_empty()),
        custom_role_ids: t.custom_role_ids.clone().unwrap_or_default(),
        inline_roles: t
            .inline_role
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(statement)
            .collect(),
        service_token: t.service_token.unwrap_or(false),
        default_api_version: t.default_api_version,
        owner_id: t.owner_id.clone(),
        member_id: t.member_id.clone(),
        creation_date: rfc3339(t.creation_date),
        last_modified: rfc3339(t.last_modified),
        last_used: last_used(t.last_used),
        token_suffix: t
            .token
            .as_ref()
            .filter(|s| !s.is_empty())
            .map(|s| last4(s.expose()).to_string()),
    }
}

/// Every attribute of [`TokenItem`] for `t`, as a value.
pub fn token_value(t: &Token) -> Value {
    token_item(t).to_value()
}

/// The result order: creation date, then ID (IDs are unique, so the order is total).
pub fn by_creation_then_id(a: &Token, b: &Token) -> Ordering {
    a.creation_date
        .cmp(&b.creation_date)
        .then_with(|| a.id.cmp(&b.id))
}

/// Sorts and drops repeated IDs (a token may appear on two pages when the
/// list shifts during a read).
pub fn sort_dedup(tokens: &mut Vec<Token>) {
    tokens.sort_by(by_creation_then_id);
    tokens.dedup_by(|a, b| a.id == b.id);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::models::{Effect, Links};

    pub(crate) fn token(id: &str, created: i64) -> Token {
        Token {
            id: id.into(),
            owner_id: "owner".into(),
            member_id: "member".into(),
            member: None,
            name: None,
            description: None,
            creation_date: created,
            last_modified: created,
            custom_role_ids: None,
            inline_role: None,
            role: Some("reader".into()),
            token: None,
            service_token: None,
            links: Links::new(),
            default_api_version: None,
            last_used: None,
        }
    }

    #[test]
    fn rfc3339_formats_utc_with_milliseconds() {
        let cases = [
            ("epoch", 0, Some("1970-01-01T00:00:00.000Z")),
            (
                "spec example",
                1628001602644,
                Some("2021-08-03T14:40:02.644Z"),
            ),
            ("before epoch", -1, Some("1969-12-31T23:59:59.999Z")),
            ("out of range", i64::MAX, None),
        ];
        for (name, ms, want) in cases {
            assert_eq!(rfc3339(ms).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn never_exposes_more_than_four_characters_of_a_secret() {
        let mut t = token("a", 1);
        t.token = Some("api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b".into());
        let v = token_value(&t);
        assert_eq!(v.get("token_suffix"), Some(&Value::from("4a5b")));
        t.token = Some("4a5b".into());
        assert_eq!(
            token_value(&t).get("token_suffix"),
            Some(&Value::from("4a5b"))
        );
        t.token = None;
        assert_eq!(token_value(&t).get("token_suffix"), Some(&Value::Null));
    }

    #[test]
    fn value_has_every_schema_attribute_with_its_type() {
        let mut t = token("a", 1628001602644);
        t.inline_role = Some(vec![Statement {
            resources: Some(vec!["proj/*".into()]),
            not_resources: None,
            actions: Some(vec!["*".into()]),
            not_actions: Some(vec![]),
            effect: Effect::Deny,
        }]);
        t.last_used = Some(0);
        let v = token_value(&t);
        let ty = super::super::schema::token_type();
        let attrs = match &ty {
            crate::framework::Type::Object(a) => a.clone(),
            _ => unreachable!(),
        };
        let keys: Vec<&String> = v
            .as_entries()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, attrs.keys().collect::<Vec<_>>());
        assert_eq!(v.get("last_used"), Some(&Value::Null), "0 means never used");
        assert_eq!(v.get("custom_role_ids"), Some(&Value::List(vec![])));
        assert_eq!(v.get("service_token"), Some(&Value::Bool(false)));
        let st = &v
            .get("inline_roles")
            .and_then(Value::as_elements)
            .unwrap_or_default()[0];
        assert_eq!(st.get("effect"), Some(&Value::from("deny")));
        assert_eq!(
            st.get("not_actions"),
            Some(&Value::Null),
            "empty list is null"
        );
        assert_eq!(
            st.get("resources"),
            Some(&Value::List(vec!["proj/*".into()]))
        );
    }

    #[test]
    fn sorts_by_creation_then_id_and_drops_repeats() {
        let mut v = vec![token("c", 2), token("b", 1), token("a", 2), token("b", 1)];
        sort_dedup(&mut v);
        let ids: Vec<&str> = v.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["b", "a", "c"]);
    }
}
