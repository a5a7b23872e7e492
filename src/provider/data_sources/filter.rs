//! The plural data source's arguments (shared by the list resource): validation
//! (with attribute paths, unknown values skipped), decoding into `Filters`, the
//! client-side match applied after the full list is read, and the derived `id`.
//!
//! The audit filters (`unused_for`, `created_before`, `created_after`) compare
//! the API's `lastUsed` / `creationDate` with a `now` given to [`Filters::decode`]
//! (the provider's clock at read time), so they are testable with any clock.

use crate::framework::typed::field;
use crate::framework::{Attr, Attribute, AttributePath, Diagnostic, Diagnostics, Type, Value};
use crate::models::Token;
use crate::provider::access_token::schema::ROLES;
use crate::provider::duration;
use chrono::{DateTime, SecondsFormat, Utc};
use regex::Regex;

/// The arguments of `launchdarkly_access_tokens`, wholly known.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub show_all: bool,
    pub name: Option<String>,
    pub name_regex: Option<Regex>,
    pub service_token: Option<bool>,
    pub role: Option<String>,
    /// Last used before `now - unused_for`, or never used and created before it
    /// (ms since the epoch: the cutoff itself).
    pub unused_since: Option<i64>,
    /// Keeps the written duration for `id`.
    pub unused_for: Option<String>,
    /// Created strictly before this time (ms since the epoch).
    pub created_before: Option<i64>,
    /// Created strictly after this time (ms since the epoch).
    pub created_after: Option<i64>,
}

/// The arguments (every one optional): the plural data source's, and the list resource's
/// `config` block.
pub fn arguments() -> Vec<Attribute> {
    vec![
        Attribute::optional(
            "show_all",
            Type::Bool,
            "Include other members' personal tokens (requires a credential with the Admin role). Default `false`.",
        ),
        Attribute::optional("name", Type::String, "Only tokens with exactly this name."),
        Attribute::optional(
            "name_regex",
            Type::String,
            "Only tokens whose name matches this regular expression ([Rust regex syntax](https://docs.rs/regex/latest/regex/#syntax); unanchored, use `^…$` for a full match). Tokens without a name never match.",
        ),
        Attribute::optional(
            "service_token",
            Type::Bool,
            "Only service tokens (`true`) or only personal tokens (`false`).",
        ),
        Attribute::optional(
            "role",
            Type::String,
            "Only tokens with this built-in role: `reader`, `writer` or `admin`.",
        ),
        Attribute::optional(
            "unused_for",
            Type::String,
            "Only stale tokens: last used longer ago than this duration, or never used and created longer ago than it. \
             A duration such as `\"2160h\"` (90 days); hours are the largest unit. Compared with the provider's clock at read time.",
        ),
        Attribute::optional(
            "created_before",
            Type::String,
            "Only tokens created before this time (RFC 3339, e.g. `\"2026-01-31T00:00:00Z\"`).",
        ),
        Attribute::optional(
            "created_after",
            Type::String,
            "Only tokens created after this time (RFC 3339). Must be earlier than `created_before` when both are set.",
        ),
    ]
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

fn bad_duration(written: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        "Invalid unused_for",
        format!(
            "unused_for {written:?}: {why}. Write a duration such as \"2160h\" (90 days) or \"720h\" (30 days); \
             hours are the largest unit."
        ),
    )
    .at(AttributePath::attr("unused_for"))
}

fn parse_unused_for(written: &str) -> Result<std::time::Duration, Diagnostic> {
    let d = duration::parse(written).map_err(|why| bad_duration(written, &why))?;
    if d.is_zero() {
        return Err(bad_duration(written, "must be longer than zero"));
    }
    Ok(d)
}

/// Parses an RFC 3339 time into ms since the epoch, or says which attribute is wrong.
fn parse_time(attr: &str, written: &str) -> Result<i64, Diagnostic> {
    DateTime::parse_from_rfc3339(written)
        .map(|t| t.timestamp_millis())
        .map_err(|e| {
            Diagnostic::error(
                format!("Invalid {attr}"),
                format!(
                    "{attr} {written:?} is not an RFC 3339 time ({e}). Write for example \"2026-01-31T00:00:00Z\" \
                     (the timestamp() and timeadd() functions return this format)."
                ),
            )
            .at(AttributePath::attr(attr))
        })
}

/// `created_after` must come before `created_before`, or nothing can match.
fn check_window(after: i64, before: i64) -> Result<(), Diagnostic> {
    if after < before {
        return Ok(());
    }
    Err(Diagnostic::error(
        "Empty creation window",
        "created_after must be earlier than created_before: no token can be created after the one time and before the other.",
    )
    .at(AttributePath::attr("created_after")))
}

/// Validate-time checks; unknown values are accepted (checked again at read).
pub fn validate(config: &Value) -> Diagnostics {
    let mut d = Diagnostics::new();
    let root = AttributePath::root();
    if let Ok(Attr::Known(u)) = field::<Attr<String>>(config, &root, "unused_for") {
        if let Err(e) = parse_unused_for(&u) {
            d.push(e);
        }
    }
    let mut times = [None, None];
    for (slot, attr) in times.iter_mut().zip(["created_after", "created_before"]) {
        if let Ok(Attr::Known(t)) = field::<Attr<String>>(config, &root, attr) {
            match parse_time(attr, &t) {
                Ok(ms) => *slot = Some(ms),
                Err(e) => d.push(e),
            }
        }
    }
    if let [Some(after), Some(before)] = times {
        if let Err(e) = check_window(after, before) {
            d.push(e);
        }
    }
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
    /// Decodes a wholly known configuration; `now_ms` anchors `unused_for`.
    pub fn decode(config: &Value, now_ms: i64) -> Result<Filters, Diagnostic> {
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
        let unused_for: Option<String> = field(config, &root, "unused_for")?;
        let unused_since = match &unused_for {
            Some(u) => {
                let ms = i64::try_from(parse_unused_for(u)?.as_millis()).unwrap_or(i64::MAX);
                Some(now_ms.saturating_sub(ms))
            }
            None => None,
        };
        let time = |attr: &str| -> Result<Option<i64>, Diagnostic> {
            match field::<Option<String>>(config, &root, attr)? {
                Some(t) => parse_time(attr, &t).map(Some),
                None => Ok(None),
            }
        };
        let created_before = time("created_before")?;
        let created_after = time("created_after")?;
        if let (Some(after), Some(before)) = (created_after, created_before) {
            check_window(after, before)?;
        }
        Ok(Filters {
            show_all: field::<Option<bool>>(config, &root, "show_all")?.unwrap_or(false),
            name: field(config, &root, "name")?,
            name_regex,
            service_token: field(config, &root, "service_token")?,
            role,
            unused_since,
            unused_for,
            created_before,
            created_after,
        })
    }

    /// Whether `t` passes the audit filters (`unused_for`, `created_*`).
    fn matches_dates(&self, t: &Token) -> bool {
        let created = t.creation_date;
        self.unused_since.is_none_or(|cutoff| match t.last_used {
            Some(used) => used < cutoff,
            None => created < cutoff,
        }) && self.created_before.is_none_or(|b| created < b)
            && self.created_after.is_none_or(|a| created > a)
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
            && self.matches_dates(t)
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
        // The written duration, not the moving cutoff: the id stays stable across reads.
        if let Some(u) = &self.unused_for {
            id.push_str(&format!("&unused_for={u}"));
        }
        for (name, ms) in [
            ("created_before", self.created_before),
            ("created_after", self.created_after),
        ] {
            if let Some(t) = ms.and_then(DateTime::<Utc>::from_timestamp_millis) {
                id.push_str(&format!(
                    "&{name}={}",
                    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
                ));
            }
        }
        id
    }
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;
