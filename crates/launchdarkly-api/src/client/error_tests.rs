//! Unit tests of `error.rs`.

use super::*;

/// Regression (reliability defect 7): only LaunchDarkly's documented 404 body means
/// "gone"; an empty or foreign 404 is an error whose hint points at `api_host`.
#[test]
fn only_launchdarkly_s_not_found_body_means_gone() {
    let err = |body: &[u8]| {
        Error::from_detail(ApiErrorDetail::from_response(
            Operation::GetToken,
            404,
            body,
            None,
            hint_for(Operation::GetToken, 404, "x", 1),
            1,
        ))
    };
    let ld = err(br#"{"code":"not_found","message":"Invalid resource identifier"}"#);
    assert!(ld.is_not_found());
    assert!(ld.to_string().contains("deleted outside Terraform"), "{ld}");
    for body in [
        &b""[..],
        b"404 page not found",
        br#"{"code":"something_else","message":"x"}"#,
    ] {
        let e = err(body);
        assert!(!e.is_not_found(), "{e}");
        assert!(e.to_string().contains("api_host"), "{e}");
    }
}

#[test]
fn json_body_is_parsed_and_display_is_actionable() {
    let body = br#"{"code":"unauthorized","message":"Invalid access token","id":"abc-1"}"#;
    let hint = hint_for(Operation::GetToken, 401, "LAUNCHDARKLY_ACCESS_TOKEN", 1);
    let e = Error::from_detail(ApiErrorDetail::from_response(
        Operation::GetToken,
        401,
        body,
        None,
        hint,
        1,
    ));
    assert!(matches!(e, Error::Unauthorized(_)));
    let text = e.to_string();
    assert!(
        text.contains("HTTP 401 unauthorized: Invalid access token"),
        "{text}"
    );
    assert!(text.contains("request id abc-1"), "{text}");
    assert!(text.contains("LAUNCHDARKLY_ACCESS_TOKEN"), "{text}");
}

#[test]
fn non_json_body_falls_back_to_text_and_scrubs_secrets() {
    let body = b"<html>bad gateway for api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b</html>";
    let d = ApiErrorDetail::from_response(
        Operation::ListTokens,
        502,
        body,
        Some("rid".into()),
        String::new(),
        3,
    );
    assert_eq!(d.code, "http_502");
    assert!(!d.message.contains("0b6f8a1e"), "{}", d.message);
    assert_eq!(d.request_id.as_deref(), Some("rid"));
    assert!(matches!(Error::from_detail(d), Error::Server(_)));
}

#[test]
fn each_status_maps_to_its_variant() {
    let cases: &[(u16, &str)] = &[
        (400, "InvalidRequest"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (404, "NotFound"),
        (409, "Conflict"),
        (422, "PatchFailed"),
        (429, "RateLimited"),
        (503, "Server"),
        (418, "UnexpectedStatus"),
    ];
    for (status, name) in cases {
        let d = ApiErrorDetail::from_response(
            Operation::GetToken,
            *status,
            b"",
            None,
            String::new(),
            1,
        );
        let e = Error::from_detail(d);
        assert!(format!("{e:?}").starts_with(name), "{status} → {e:?}");
        assert_eq!(e.status(), Some(*status));
    }
}

/// Issue 12 item 11: an unknown outcome says when the request was sent in UTC.
#[test]
fn outcome_unknown_shows_a_readable_utc_time() {
    let e = Error::OutcomeUnknown {
        operation: Operation::CreateToken,
        started_at: SystemTime::UNIX_EPOCH,
        started_at_ms: 1_796_024_388_510,
        cause: String::from("timed out"),
        status: None,
    };
    let text = e.to_string();
    assert!(text.contains("sent at 2026-11-30 07:39:48 UTC"), "{text}");
    assert!(!text.contains("since the epoch"), "{text}");
    assert!(!text.contains("1796024388510"), "{text}");
}

#[test]
fn transport_errors_carry_their_hint() {
    let e = Error::Transport {
        operation: Operation::ListTokens,
        attempts: 3,
        message: String::from("connection refused by http://127.0.0.1:9"),
        hint: String::from("Check api_host"),
    };
    assert_eq!(
        e.to_string(),
        "list access tokens failed after 3 attempt(s): connection refused by http://127.0.0.1:9. Check api_host"
    );
}

#[test]
fn forbidden_hint_names_the_role_action() {
    let h = hint_for(Operation::CreateToken, 403, "x", 1);
    assert!(h.contains("createAccessToken"), "{h}");
    let h = hint_for(Operation::ListTokens, 429, "x", 11);
    assert!(h.contains("11 attempt"), "{h}");
}
