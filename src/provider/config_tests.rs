//! Unit tests of `config.rs`.

use super::*;

fn cfg(pairs: &[(&str, Value)]) -> Value {
    let mut v = Value::null_object_of(&schema().implied_type());
    for (k, x) in pairs {
        v.set(k, x.clone());
    }
    v
}

#[test]
fn api_host_rules() {
    let cases: &[(&str, &str, bool, bool)] = &[
        ("bare host means https", "app.launchdarkly.com", false, true),
        ("https", "https://app.launchdarkly.com", false, true),
        ("http loopback", "http://127.0.0.1:8080", false, true),
        ("http localhost", "http://localhost:1", false, true),
        ("http ipv6 loopback", "http://[::1]:1", false, true),
        ("http remote refused", "http://ld.example.com", false, false),
        ("http remote allowed", "http://ld.example.com", true, true),
        ("ftp refused", "ftp://x", false, false),
        ("ftp refused even insecure", "ftp://x", true, false),
    ];
    for (name, host, insecure, ok) in cases {
        assert_eq!(parse_api_host(host, *insecure).is_ok(), *ok, "{name}");
    }
}

#[test]
fn validate_points_at_attributes() {
    let d = validate(&cfg(&[
        ("api_host", "ftp://x".into()),
        ("http_timeout", Value::int(-1)),
    ]));
    let paths: Vec<String> = d
        .iter()
        .filter_map(|x| x.path.as_ref().map(|p| p.to_string()))
        .collect();
    assert_eq!(paths, vec!["http_timeout", "api_host"]);
    assert!(validate(&cfg(&[("api_host", Value::unknown())])).is_empty());
}

#[test]
fn env_credentials_are_checked_like_attributes() {
    let env = |k: &str| (k == ENV_ACCESS_TOKEN).then(|| "api-env-secret\r".to_string());
    let (r, d) = resolve(&cfg(&[]), &env);
    assert!(r.is_none());
    let e = d.iter().find(|x| x.is_error()).expect("an error");
    assert_eq!(e.summary, format!("Invalid {ENV_ACCESS_TOKEN}"));
    assert!(e.detail.contains("carriage return"), "{}", e.detail);
    assert!(!e.detail.contains("api-env-secret"), "never echoed");
    // The OAuth variable gets the same check (issue 12 item 8).
    let env = |k: &str| (k == ENV_OAUTH_TOKEN).then(|| "oauth-env-secret\r".to_string());
    let (r, d) = resolve(&cfg(&[]), &env);
    assert!(r.is_none());
    let e = d.iter().find(|x| x.is_error()).expect("an error");
    assert_eq!(e.summary, format!("Invalid {ENV_OAUTH_TOKEN}"));
    assert!(e.detail.contains("carriage return"), "{}", e.detail);
    assert!(!e.detail.contains("oauth-env-secret"), "never echoed");
    assert!(credential_problem("api-ok-123").is_none());
    assert!(credential_problem("api-\u{7f}x").is_some());
    assert!(credential_problem(" api").is_some());
}

#[test]
fn credentials_resolution() {
    let none = |_: &str| None;
    let (r, d) = resolve(&cfg(&[]), &none);
    assert!(r.is_none());
    let msg = d.iter().next().unwrap().detail.clone();
    for needle in [
        "access_token",
        "oauth_token",
        ENV_ACCESS_TOKEN,
        ENV_OAUTH_TOKEN,
    ] {
        assert!(msg.contains(needle), "{needle} missing from {msg}");
    }
    let env = |k: &str| (k == ENV_ACCESS_TOKEN).then(|| "api-env-secret".to_string());
    let (r, d) = resolve(&cfg(&[("oauth_token", "oauth-secret".into())]), &env);
    let Some(Resolved::Ready(s)) = r else {
        panic!("not ready")
    };
    assert_eq!(s.credential_source, "oauth_token");
    assert_eq!(d.iter().count(), 1, "warning about two credentials");
    assert!(!format!("{s:?}").contains("secret"));
    assert!(!d.iter().any(|x| x.detail.contains("secret")));
    let (r, _) = resolve(
        &cfg(&[
            ("access_token", "tok".into()),
            ("http_timeout", Value::int(0)),
        ]),
        &none,
    );
    let Some(Resolved::Ready(s)) = r else {
        panic!("not ready")
    };
    assert_eq!(
        s.http_timeout,
        Duration::from_secs(DEFAULT_HTTP_TIMEOUT_SECS)
    );
    assert_eq!(s.api_host.as_str(), "https://app.launchdarkly.com/");
}
