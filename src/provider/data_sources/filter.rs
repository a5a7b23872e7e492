//! The plural data source's arguments: validation (with attribute paths,
//! unknown values skipped), decoding into `Filters`, the client-side match
//! applied after the full list is read, and the derived `id`.

use crate::framework::typed::field;
use crate::framework::{Attr, AttributePath, Diagnostic, Diagnostics, Value};
use crate::models::Token;
use crate::provider::access_token::schema::ROLES;
use regex::Regex;

/// The arguments of `launchdarkly_access_tokens`, wholly known.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub show_all: bool,
    pub name: Option<String>,
    pub name_regex: Option<Regex>,
    pub service_token: Option<bool>,
    pub role: Option<String>,
}

fn bad_regex(pattern: &str, e: &regex::Error) -> Diagnostic {
    Diagnostic::error(
        "Invalid name_regex",
        format!("name_regex {pattern:?} is not a valid regular expression: {e}"),
    )
    .at(AttributePath::attr("name_regex"))
}

fn bad_role(role: &str) -> Diagnostic {
    Diagnostic::error(
        "Invalid role",
        format!("role must be one of reader, writer or admin, got {role:?}."),
    )
    .at(AttributePath::attr("role"))
}

/// Validate-time checks; unknown values are accepted (checked again at read).
pub fn validate(config: &Value) -> Diagnostics {
    let mut d = Diagnostics::new();
    let root = AttributePath::root();
    if let Ok(Attr::Known(p)) = field::<Attr<String>>(config, &root, "name_regex") {
        if let Err(e) = Regex::new(&p) {
            d.push(bad_regex(&p, &e));
        }
    }
    if let Ok(Attr::Known(r)) = field::<Attr<String>>(config, &root, "role") {
        if !ROLES.contains(&r.as_str()) {
            d.push(bad_role(&r));
        }
    }
    d
}

impl Filters {
    /// Decodes a wholly known configuration.
    pub fn decode(config: &Value) -> Result<Filters, Diagnostic> {
        let root = AttributePath::root();
        let name_regex = match field::<Option<String>>(config, &root, "name_regex")? {
            Some(p) => Some(Regex::new(&p).map_err(|e| bad_regex(&p, &e))?),
            None => None,
        };
        let role: Option<String> = field(config, &root, "role")?;
        if let Some(r) = &role {
            if !ROLES.contains(&r.as_str()) {
                return Err(bad_role(r));
            }
        }
        Ok(Filters {
            show_all: field::<Option<bool>>(config, &root, "show_all")?.unwrap_or(false),
            name: field(config, &root, "name")?,
            name_regex,
            service_token: field(config, &root, "service_token")?,
            role,
        })
    }

    /// Whether `t` passes every filter that is set.
    pub fn matches(&self, t: &Token) -> bool {
        let name = t.name.as_deref();
        self.name.as_deref().is_none_or(|n| name == Some(n))
            && self
                .name_regex
                .as_ref()
                .is_none_or(|re| name.is_some_and(|n| re.is_match(n)))
            && self
                .service_token
                .is_none_or(|s| t.service_token.unwrap_or(false) == s)
            && self
                .role
                .as_deref()
                .is_none_or(|r| t.role.as_deref() == Some(r))
    }

    /// A stable identifier for these arguments, e.g.
    /// `access_tokens?show_all=false&service_token=true`.
    pub fn id(&self) -> String {
        let mut id = format!("access_tokens?show_all={}", self.show_all);
        if let Some(n) = &self.name {
            id.push_str(&format!("&name={n}"));
        }
        if let Some(re) = &self.name_regex {
            id.push_str(&format!("&name_regex={}", re.as_str()));
        }
        if let Some(s) = self.service_token {
            id.push_str(&format!("&service_token={s}"));
        }
        if let Some(r) = &self.role {
            id.push_str(&format!("&role={r}"));
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::tests::token;
    use super::super::schema::tokens_schema;
    use super::*;

    fn cfg(pairs: Vec<(&str, Value)>) -> Value {
        let mut v = Value::null_object_of(&tokens_schema().implied_type());
        for (k, x) in pairs {
            v.set(k, x);
        }
        v
    }

    fn paths(d: &Diagnostics) -> Vec<String> {
        d.iter()
            .filter(|x| x.is_error())
            .map(|x| x.path.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect()
    }

    #[test]
    fn validation_points_at_the_attribute() {
        let cases: Vec<(&str, Value, Vec<&str>)> = vec![
            ("empty", cfg(vec![]), vec![]),
            (
                "good regex",
                cfg(vec![("name_regex", "^ci-[0-9]+$".into())]),
                vec![],
            ),
            (
                "bad regex",
                cfg(vec![("name_regex", "ci-(".into())]),
                vec!["name_regex"],
            ),
            (
                "unknown regex",
                cfg(vec![("name_regex", Value::unknown())]),
                vec![],
            ),
            (
                "bad role",
                cfg(vec![("role", "owner".into())]),
                vec!["role"],
            ),
            (
                "both",
                cfg(vec![("role", "owner".into()), ("name_regex", "[".into())]),
                vec!["name_regex", "role"],
            ),
        ];
        for (name, c, want) in cases {
            assert_eq!(paths(&validate(&c)), want, "{name}");
        }
    }

    #[test]
    fn decode_reports_a_bad_regex_with_its_path() {
        let e = Filters::decode(&cfg(vec![("name_regex", "(".into())])).err();
        assert_eq!(
            e.and_then(|e| e.path),
            Some(AttributePath::attr("name_regex"))
        );
    }

    #[test]
    fn filters_combine_with_and() {
        let mk = |id: &str, name: Option<&str>, service: bool, role: Option<&str>| {
            let mut t = token(id, 1);
            t.name = name.map(Into::into);
            t.service_token = Some(service);
            t.role = role.map(Into::into);
            t
        };
        let all = [
            mk("1", Some("ci"), false, Some("reader")),
            mk("2", Some("ci-deploy"), true, Some("writer")),
            mk("3", None, true, None),
            mk("4", Some("CI"), true, Some("reader")),
        ];
        type Case<'a> = (&'a str, Vec<(&'a str, Value)>, Vec<&'a str>);
        let cases: Vec<Case> = vec![
            ("none", vec![], vec!["1", "2", "3", "4"]),
            ("exact name", vec![("name", "ci".into())], vec!["1"]),
            ("regex", vec![("name_regex", "^ci".into())], vec!["1", "2"]),
            (
                "regex case-insensitive",
                vec![("name_regex", "(?i)^ci$".into())],
                vec!["1", "4"],
            ),
            (
                "service",
                vec![("service_token", true.into())],
                vec!["2", "3", "4"],
            ),
            ("personal", vec![("service_token", false.into())], vec!["1"]),
            ("role", vec![("role", "reader".into())], vec!["1", "4"]),
            (
                "combined",
                vec![("service_token", true.into()), ("role", "reader".into())],
                vec!["4"],
            ),
        ];
        for (name, pairs, want) in cases {
            let f = Filters::decode(&cfg(pairs)).expect(name);
            let got: Vec<&str> = all
                .iter()
                .filter(|t| f.matches(t))
                .map(|t| t.id.as_str())
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn id_is_derived_from_the_arguments() {
        let f = Filters::decode(&cfg(vec![])).expect("decode");
        assert_eq!(f.id(), "access_tokens?show_all=false");
        let f = Filters::decode(&cfg(vec![
            ("show_all", true.into()),
            ("name_regex", "^x".into()),
            ("role", "admin".into()),
        ]))
        .expect("decode");
        assert_eq!(
            f.id(),
            "access_tokens?show_all=true&name_regex=^x&role=admin"
        );
    }
}
