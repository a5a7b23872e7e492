//! Why an attempt produced no usable response, classified by what a retry could change.
//!
//! | Class | Examples | Retried |
//! |---|---|---|
//! | [`TransportFailure::NotSent`] | connect timeout, network unreachable, DNS temporarily failing | for the time budget, any request (nothing was sent) |
//! | [`TransportFailure::Refused`] | connection refused: nothing listens at `api_host` | [`REFUSED_RETRIES`](super::retry::REFUSED_RETRIES) quick retries (< 1 s) |
//! | [`TransportFailure::Unfixable`] | credential not valid in a header, TLS certificate rejected, DNS name does not exist, request not buildable | never |
//! | [`TransportFailure::MaybeSent`] | timeout after connecting, reset connection, cut-off body | for the time budget, requests safe to repeat only |
//! | [`TransportFailure::BodyTooLarge`] | response over the body cap | never (the request was sent) |
//!
//! A refused connection gets a few quick tries rather than none: a local API or proxy that is
//! restarting refuses for a moment. It gets no more: unlike a timeout, a refusal is an
//! immediate, definite answer that nothing is listening, and in practice it means `api_host`
//! names the wrong host or port — retrying it for minutes only delays that news.

use super::body::describe_size;
use crate::secret::scrub;

/// Why an attempt produced no usable response. Messages are scrubbed and name the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportFailure {
    /// The connection was never established, for a reason that may pass: nothing was sent.
    NotSent(String),
    /// The connection was refused: nothing listens at the address. Nothing was sent.
    Refused(String),
    /// Nothing was sent, and sending again cannot help.
    Unfixable {
        /// What failed.
        cause: String,
        /// What the user should do.
        fix: String,
    },
    /// The request may have reached the server: a timeout, a reset connection, a cut-off
    /// body.
    MaybeSent(String),
    /// The server answered `status`, but the body is larger than `limit` bytes, so it was
    /// not read. The request was sent; reading it again would not help.
    BodyTooLarge {
        /// The HTTP status of the answer.
        status: u16,
        /// The cap that was exceeded.
        limit: usize,
    },
}

impl TransportFailure {
    /// Whether the request may have reached the server.
    pub fn maybe_sent(&self) -> bool {
        matches!(
            self,
            TransportFailure::MaybeSent(_) | TransportFailure::BodyTooLarge { .. }
        )
    }

    /// What happened, for messages.
    pub fn message(&self) -> String {
        match self {
            TransportFailure::NotSent(m)
            | TransportFailure::Refused(m)
            | TransportFailure::MaybeSent(m) => m.clone(),
            TransportFailure::Unfixable { cause, .. } => cause.clone(),
            TransportFailure::BodyTooLarge { status, limit } => format!(
                "HTTP {status} answered, but the response body exceeds {} and was not read",
                describe_size(*limit)
            ),
        }
    }

    /// How it was retried and what to do, for the final error. `budget_secs` is the retry
    /// time budget.
    pub fn hint(&self, budget_secs: u64) -> String {
        match self {
            TransportFailure::Unfixable { fix, .. } => {
                format!("Not retried: no retry can fix this. {fix}")
            }
            TransportFailure::Refused(_) => format!(
                "A refused connection means nothing listens at that address; it is retried only {} times within about a second \
                 (enough for a restarting server), not for minutes. Check api_host (or LAUNCHDARKLY_API_HOST): scheme, host and port, \
                 and that the API or proxy there is running",
                super::retry::REFUSED_RETRIES
            ),
            TransportFailure::NotSent(_) | TransportFailure::MaybeSent(_) => format!(
                "Connection failures and timeouts are retried for up to {budget_secs} s, as they often pass. \
                 Check api_host (or LAUNCHDARKLY_API_HOST), the network and any proxy (HTTPS_PROXY), or raise http_timeout"
            ),
            TransportFailure::BodyTooLarge { .. } => String::new(),
        }
    }
}

/// The failure for a credential that cannot be sent as a header.
pub fn bad_credential_header() -> TransportFailure {
    TransportFailure::Unfixable {
        cause: String::from("the access token contains characters not allowed in an HTTP header"),
        fix: String::from(
            "Copy the token again without spaces, line breaks or a trailing \\r (a token file saved with Windows line endings)",
        ),
    }
}

/// Classifies a `reqwest` error for a request to `base_url`.
pub fn classify(e: &reqwest::Error, base_url: &str) -> TransportFailure {
    // The top-level text is "error sending request for url (…)": the causes say more.
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(e);
    let mut refused = false;
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            refused |= io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        causes.push(s.to_string());
        source = s.source();
    }
    let detail = if causes.is_empty() {
        e.to_string()
    } else {
        causes.join(": ")
    };
    // reqwest errors carry the URL (never the credential); scrub anyway.
    let detail = scrub(&detail);
    classify_parts(
        Parts {
            connect: e.is_connect(),
            timeout: e.is_timeout(),
            builder: e.is_builder(),
            body: e.is_body() || e.is_decode(),
            refused,
        },
        &detail,
        base_url,
    )
}

/// What `reqwest` says about an error, as plain flags (so the rules are unit-tested).
#[derive(Debug, Clone, Copy, Default)]
struct Parts {
    connect: bool,
    timeout: bool,
    builder: bool,
    body: bool,
    refused: bool,
}

/// Texts of resolvers saying a name does not exist (glibc, musl, macOS, Windows). A temporary
/// failure ("Temporary failure in name resolution") is not among them: it may pass.
const NO_SUCH_NAME: &[&str] = &[
    "name or service not known",
    "no address associated with hostname",
    "nodename nor servname provided",
    "no such host is known",
    "name does not resolve",
];

fn classify_parts(p: Parts, detail: &str, base_url: &str) -> TransportFailure {
    let lower = detail.to_ascii_lowercase();
    if p.builder {
        return TransportFailure::Unfixable {
            cause: format!("the request to {base_url} could not be built: {detail}"),
            fix: String::from("Check api_host: it must be a URL like https://app.launchdarkly.com"),
        };
    }
    if lower.contains("certificate") {
        return TransportFailure::Unfixable {
            cause: format!("TLS certificate of {base_url} rejected: {detail}"),
            fix: String::from(
                "Check that api_host names the LaunchDarkly API (or your proxy), and for a private CA set SSL_CERT_FILE or SSL_CERT_DIR",
            ),
        };
    }
    if p.connect && NO_SUCH_NAME.iter().any(|n| lower.contains(n)) {
        return TransportFailure::Unfixable {
            cause: format!("the host of {base_url} does not exist (DNS): {detail}"),
            fix: String::from(
                "Check the spelling of api_host (or LAUNCHDARKLY_API_HOST) and the network's DNS",
            ),
        };
    }
    if p.connect && (p.refused || lower.contains("connection refused")) {
        return TransportFailure::Refused(format!("connection refused by {base_url}: {detail}"));
    }
    if p.connect {
        let what = if p.timeout {
            "timed out connecting to"
        } else {
            "could not connect to"
        };
        return TransportFailure::NotSent(format!("{what} {base_url}: {detail}"));
    }
    let what = if p.timeout {
        "timed out waiting for"
    } else if p.body {
        "the response was cut off from"
    } else {
        "request failed to"
    };
    TransportFailure::MaybeSent(format!("{what} {base_url}: {detail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "https://ld.example";

    fn connect() -> Parts {
        Parts {
            connect: true,
            ..Parts::default()
        }
    }

    /// (case, what reqwest says, cause text, the expected class).
    type Case = (
        &'static str,
        Parts,
        &'static str,
        fn(&TransportFailure) -> bool,
    );

    #[test]
    fn each_cause_lands_in_its_class() {
        let unfixable = |f: &TransportFailure| matches!(f, TransportFailure::Unfixable { .. });
        let cases: Vec<Case> = vec![
            (
                "refused (io kind)",
                Parts {
                    refused: true,
                    ..connect()
                },
                "tcp connect error: Connection refused (os error 111)",
                |f| matches!(f, TransportFailure::Refused(_)),
            ),
            (
                "DNS: no such name",
                connect(),
                "dns error: failed to lookup address information: Name or service not known",
                unfixable,
            ),
            (
                "DNS: temporary failure is retried",
                connect(),
                "dns error: failed to lookup address information: Temporary failure in name resolution",
                |f| matches!(f, TransportFailure::NotSent(_)),
            ),
            (
                "TLS certificate",
                connect(),
                "invalid peer certificate: UnknownIssuer",
                unfixable,
            ),
            (
                "builder",
                Parts {
                    builder: true,
                    ..Parts::default()
                },
                "relative URL without a base",
                unfixable,
            ),
            (
                "connect timeout",
                Parts {
                    timeout: true,
                    ..connect()
                },
                "operation timed out",
                |f| matches!(f, TransportFailure::NotSent(_)),
            ),
            (
                "read timeout",
                Parts {
                    timeout: true,
                    ..Parts::default()
                },
                "operation timed out",
                |f| matches!(f, TransportFailure::MaybeSent(_)),
            ),
            ("reset", Parts::default(), "connection reset by peer", |f| {
                matches!(f, TransportFailure::MaybeSent(_))
            }),
        ];
        for (name, parts, detail, check) in cases {
            let f = classify_parts(parts, detail, HOST);
            assert!(check(&f), "{name}: {f:?}");
            assert!(f.message().contains(HOST), "{name} names the host: {f:?}");
            assert!(!f.hint(120).is_empty(), "{name} has a hint");
        }
    }

    #[test]
    fn hints_say_how_often_and_what_to_do() {
        let refused = classify_parts(
            Parts {
                refused: true,
                ..connect()
            },
            "x",
            HOST,
        );
        let h = refused.hint(120);
        assert!(h.contains("retried only 2 times"), "{h}");
        assert!(h.contains("api_host"), "{h}");
        let h = bad_credential_header().hint(120);
        assert!(h.starts_with("Not retried"), "{h}");
        let h = TransportFailure::NotSent("x".into()).hint(120);
        assert!(h.contains("up to 120 s"), "{h}");
    }

    /// A real refused connection: bind a port, free it, connect to it.
    #[tokio::test]
    async fn a_closed_loopback_port_is_refused() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        let url = format!("http://127.0.0.1:{port}");
        let e = reqwest::Client::new()
            .get(&url)
            .send()
            .await
            .expect_err("nothing listens");
        let f = classify(&e, &url);
        assert!(matches!(f, TransportFailure::Refused(_)), "{f:?}");
    }
}
