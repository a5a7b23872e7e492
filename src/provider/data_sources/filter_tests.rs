//! Tests of `filter.rs`: the filter attributes' validation and matching against tokens.

use super::super::AccessTokens;
use super::super::model::tests::token;
use super::*;
use crate::framework::DataSource;

fn cfg(pairs: Vec<(&str, Value)>) -> Value {
    let mut v = Value::null_object_of(
        &AccessTokens::new(Default::default())
            .schema()
            .implied_type(),
    );
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

/// A filter case: its name, the filter attributes set, and the IDs it must match.
type Case<'a> = (&'a str, Vec<(&'a str, Value)>, Vec<&'a str>);

/// Decodes each case's filters at `now` and checks the IDs of the tokens of `all` they match.
fn assert_matching(all: &[Token], cases: Vec<Case>, now: i64) {
    for (name, pairs, want) in cases {
        let f = Filters::decode(&cfg(pairs), now).expect(name);
        let got: Vec<&str> = all
            .iter()
            .filter(|t| f.matches(t))
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(got, want, "{name}");
    }
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
    let e = Filters::decode(&cfg(vec![("name_regex", "(".into())]), 0).err();
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
    assert_matching(&all, cases, 0);
}

const DAY: i64 = 86_400_000;

#[test]
fn audit_filters_pick_stale_and_dated_tokens() {
    let now = 1_000 * DAY;
    let mk = |id: &str, created_days_ago: i64, used_days_ago: Option<i64>| {
        let mut t = token(id, now - created_days_ago * DAY);
        t.last_used = used_days_ago.map(|d| now - d * DAY);
        t
    };
    let all = [
        mk("old-never-used", 100, None),
        mk("old-used-long-ago", 100, Some(60)),
        mk("old-used-lately", 100, Some(1)),
        mk("new-never-used", 5, None),
        mk("new-used", 5, Some(2)),
    ];
    let at = |days_ago: i64| {
        DateTime::<Utc>::from_timestamp_millis(now - days_ago * DAY)
            .map(|t| t.to_rfc3339())
            .map(Value::from)
            .unwrap_or_default()
    };
    let cases: Vec<Case> = vec![
        (
            "unused for 30 days",
            vec![("unused_for", "720h".into())],
            vec!["old-never-used", "old-used-long-ago"],
        ),
        (
            "unused for a day and a half",
            vec![("unused_for", "36h".into())],
            vec![
                "old-never-used",
                "old-used-long-ago",
                "new-never-used",
                "new-used",
            ],
        ),
        (
            "created before 10 days ago",
            vec![("created_before", at(10))],
            vec!["old-never-used", "old-used-long-ago", "old-used-lately"],
        ),
        (
            "created after 10 days ago",
            vec![("created_after", at(10))],
            vec!["new-never-used", "new-used"],
        ),
        (
            "window and staleness combine",
            vec![
                ("created_after", at(200)),
                ("created_before", at(50)),
                ("unused_for", "720h".into()),
            ],
            vec!["old-never-used", "old-used-long-ago"],
        ),
        (
            "bounds are strict",
            vec![("created_before", at(100))],
            vec![],
        ),
    ];
    assert_matching(&all, cases, now);
}

#[test]
fn audit_filters_are_validated_with_their_paths() {
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "days are not a unit",
            cfg(vec![("unused_for", "90d".into())]),
            vec!["unused_for"],
        ),
        (
            "zero",
            cfg(vec![("unused_for", "0".into())]),
            vec!["unused_for"],
        ),
        (
            "negative",
            cfg(vec![("unused_for", "-1h".into())]),
            vec!["unused_for"],
        ),
        (
            "a date only",
            cfg(vec![("created_before", "2026-01-31".into())]),
            vec!["created_before"],
        ),
        (
            "garbage",
            cfg(vec![("created_after", "yesterday".into())]),
            vec!["created_after"],
        ),
        (
            "empty window",
            cfg(vec![
                ("created_after", "2026-02-01T00:00:00Z".into()),
                ("created_before", "2026-01-01T00:00:00Z".into()),
            ]),
            vec!["created_after"],
        ),
        (
            "good",
            cfg(vec![
                ("unused_for", "2160h".into()),
                ("created_after", "2026-01-01T00:00:00+01:00".into()),
                ("created_before", "2026-02-01T00:00:00Z".into()),
            ]),
            vec![],
        ),
        (
            "unknown",
            cfg(vec![("created_after", Value::unknown())]),
            vec![],
        ),
    ];
    for (name, c, want) in cases {
        assert_eq!(paths(&validate(&c)), want, "{name}");
        if want.is_empty() {
            assert!(
                Filters::decode(&c, 0).is_ok() || name == "unknown",
                "{name}"
            );
        } else {
            let e = Filters::decode(&c, 0).err().and_then(|e| e.path);
            assert_eq!(e, Some(AttributePath::attr(want[0])), "{name}");
        }
    }
}

#[test]
fn id_is_derived_from_the_arguments() {
    let f = Filters::decode(&cfg(vec![]), 0).expect("decode");
    assert_eq!(f.id(), "access_tokens?show_all=false");
    let f = Filters::decode(
        &cfg(vec![
            ("show_all", true.into()),
            ("name_regex", "^x".into()),
            ("role", "admin".into()),
        ]),
        0,
    )
    .expect("decode");
    assert_eq!(
        f.id(),
        "access_tokens?show_all=true&name_regex=^x&role=admin"
    );
    let f = Filters::decode(
        &cfg(vec![
            ("unused_for", "720h".into()),
            ("created_after", "2026-01-01T01:00:00+01:00".into()),
        ]),
        123,
    )
    .expect("decode");
    assert_eq!(
        f.id(),
        "access_tokens?show_all=false&unused_for=720h&created_after=2026-01-01T00:00:00Z",
        "the written duration (not the moving cutoff) and times in UTC"
    );
}
