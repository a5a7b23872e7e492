//! Tests of `execute.rs`: the outcome mapping as a table, and whole calls against the local
//! test server for the response body cap.

use super::*;
use crate::client::test_server::TestServer;
use crate::client::{ClientConfig, MAX_RESPONSE_BODY, RetryPolicy, request};
use crate::models::AccessTokenPost;

/// A client whose retries give up within seconds, so a regression fails fast instead of
/// retrying for the default two minutes.
fn client(api_host: &str) -> Client {
    let mut config = ClientConfig::new(api_host, "api-x");
    config.retry.retry_budget = Duration::from_secs(2);
    Client::new(config).expect("client")
}

fn response(status: u16) -> RawResponse {
    RawResponse {
        status,
        headers: Vec::new(),
        body: br#"{"code":"c","message":"m"}"#.to_vec(),
    }
}

fn last(result: Result<RawResponse, TransportFailure>) -> Ending {
    Ending::Last {
        result,
        attempts: 2,
    }
}

fn deadline(maybe_sent: bool) -> Ending {
    Ending::Deadline {
        attempts: 3,
        last: String::from("HTTP 503"),
        maybe_sent,
    }
}

/// (case, how the loop ended, expected variant for a safe request, for an unsafe one).
type Case = (&'static str, fn() -> Ending, &'static str, &'static str);

/// Pins the mapping `execute` had before it was split, for requests safe and unsafe to
/// repeat, plus the new body-cap cases.
#[test]
fn outcome_maps_each_ending_by_repeatability() {
    let c = client("app.launchdarkly.com");
    let safe = request::get_token("t");
    let unsafe_ = request::reset_token("t", None);
    let too_large = || TransportFailure::BodyTooLarge {
        status: 200,
        limit: MAX_RESPONSE_BODY,
    };
    let cases: Vec<Case> = vec![
        ("2xx", || last(Ok(response(200))), "Ok", "Ok"),
        ("404", || last(Ok(response(404))), "NotFound", "NotFound"),
        (
            "503",
            || last(Ok(response(503))),
            "Server",
            "OutcomeUnknown",
        ),
        (
            "maybe sent",
            || last(Err(TransportFailure::MaybeSent("reset".into()))),
            "Transport",
            "OutcomeUnknown",
        ),
        (
            "not sent",
            || last(Err(TransportFailure::NotSent("refused".into()))),
            "Transport",
            "Transport",
        ),
        (
            "429 past the deadline",
            || Ending::RateLimitedPastDeadline {
                response: response(429),
                attempts: 4,
            },
            "RateLimited",
            "RateLimited",
        ),
        (
            "deadline, maybe sent",
            || deadline(true),
            "DeadlineExceeded",
            "OutcomeUnknown",
        ),
        (
            "deadline, not sent",
            || deadline(false),
            "DeadlineExceeded",
            "DeadlineExceeded",
        ),
    ];
    let name = |r: &Result<RawResponse, Error>| match r {
        Ok(_) => String::from("Ok"),
        Err(e) => format!("{e:?}")
            .split([' ', '('])
            .next()
            .unwrap_or("")
            .to_owned(),
    };
    for (case, ending, want_safe, want_unsafe) in cases {
        let got = c.outcome(&safe, SystemTime::now(), ending());
        assert_eq!(name(&got), want_safe, "{case} (safe): {got:?}");
        let got = c.outcome(&unsafe_, SystemTime::now(), ending());
        assert_eq!(name(&got), want_unsafe, "{case} (unsafe): {got:?}");
    }
    // A body over the cap: the request was sent, so an unsafe one has an unknown outcome.
    match c.outcome(&safe, SystemTime::now(), last(Err(too_large()))) {
        Err(e @ Error::ResponseTooLarge { .. }) => {
            assert_eq!(e.status(), Some(200));
            assert!(
                e.to_string()
                    .starts_with("get access token: the response body exceeds 8 MiB (HTTP 200)"),
                "{e}"
            );
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    match c.outcome(&unsafe_, SystemTime::now(), last(Err(too_large()))) {
        Err(e @ Error::OutcomeUnknown { .. }) => {
            assert_eq!(e.status(), Some(200));
            assert!(e.to_string().contains("exceeds 8 MiB"), "{e}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

/// Regression (reliability defect): a 300 MB list response was read whole. Now a
/// `Content-Length` over the cap ends the call at once, with one request and a clear error.
#[tokio::test]
async fn an_oversized_list_response_is_one_clear_error_and_not_retried() {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        300 * 1024 * 1024
    );
    let server = TestServer::start(head, 0).await;
    let c = client(server.base_url());
    let err = c.list_all_tokens(false).await.expect_err("over the cap");
    assert!(
        matches!(err, Error::ResponseTooLarge { status: 200, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("list access tokens: the response body exceeds 8 MiB"),
        "{err}"
    );
    assert_eq!(server.requests(), 1);
}

/// A streamed body (no `Content-Length`) over the cap is cut off once the cap is passed; a
/// create is neither repeated nor reported as unsent.
#[tokio::test]
async fn an_oversized_create_response_is_outcome_unknown_and_sent_once() {
    let head =
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
    let server = TestServer::start(head, MAX_RESPONSE_BODY + 64 * 1024).await;
    let c = client(server.base_url());
    match c.create_token(&AccessTokenPost::default()).await {
        Err(Error::OutcomeUnknown { status, cause, .. }) => {
            assert_eq!(status, Some(201));
            assert!(cause.contains("exceeds 8 MiB"), "{cause}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

/// `Instant + Duration::MAX` used to panic before the first attempt.
#[tokio::test]
async fn an_unrepresentable_overall_timeout_does_not_panic() {
    let server = TestServer::start("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 0).await;
    let mut config = ClientConfig::new(server.base_url(), "api-x");
    config.overall_timeout = Duration::MAX;
    config.retry = RetryPolicy {
        max_retries: Some(0),
        ..RetryPolicy::default()
    };
    let c = Client::new(config).expect("client");
    let err = c.get_token("t").await.expect_err("404");
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

/// A loopback port nothing listens on (bound, then freed).
fn closed_port_url() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    format!("http://127.0.0.1:{port}")
}

/// Issue 12 item 8: a refused connection used to be retried for the whole budget (~45 s,
/// then 120 s). Now: two quick retries, then an error naming the host, how often it was
/// tried and the fix. Paused time: the backoff sleeps advance the clock, not the test.
#[tokio::test(start_paused = true)]
async fn a_refused_connection_fails_after_two_quick_retries_naming_host_and_fix() {
    let url = closed_port_url();
    let mut config = ClientConfig::new(url.as_str(), "api-x");
    config.allow_insecure_http = true;
    let c = Client::new(config).expect("client");
    let started = Instant::now();
    for unsafe_ in [false, true] {
        let err = if unsafe_ {
            c.create_token(&AccessTokenPost::default())
                .await
                .map(|_| ())
        } else {
            c.list_all_tokens(false).await.map(|_| ())
        }
        .expect_err("nothing listens");
        let Error::Transport {
            attempts,
            ref message,
            ..
        } = err
        else {
            panic!("expected Transport, got {err:?}");
        };
        assert_eq!(attempts, 3, "{err}");
        assert!(message.contains("connection refused by"), "{err}");
        assert!(message.contains(&url), "names the host: {err}");
        let text = err.to_string();
        assert!(text.contains("retried only 2 times"), "{text}");
        assert!(text.contains("Check api_host"), "{text}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "backoff stays short: {:?}",
        started.elapsed()
    );
}
