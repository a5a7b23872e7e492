//! Turning the `api_host` setting into a base URL: no scheme means `https://`; `http://` is
//! accepted for loopback hosts (the emulator) and for other hosts only when insecure HTTP was
//! explicitly allowed. No path, query or fragment: the provider adds `/api/v2/…` itself.

use url::{Host, Url};

use super::error::Error;

/// The commercial LaunchDarkly API host.
pub const DEFAULT_API_HOST: &str = "https://app.launchdarkly.com";

/// Normalises `api_host` to a base URL without a trailing slash.
pub fn normalize_api_host(api_host: &str, allow_insecure_http: bool) -> Result<String, Error> {
    let trimmed = api_host.trim();
    let raw = if trimmed.is_empty() {
        DEFAULT_API_HOST.to_owned()
    } else if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let url = Url::parse(&raw)
        .map_err(|e| Error::Config(format!("api_host {trimmed:?} is not a valid URL: {e}")))?;
    // Before any message that echoes the setting: a password here would be a secret in
    // every error and log line that names the host.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(format!(
            "api_host for host {:?} must not contain a user name or password; credentials go in access_token or oauth_token (or their environment variables)",
            url.host_str().unwrap_or_default()
        )));
    }
    let host = url
        .host()
        .ok_or_else(|| Error::Config(format!("api_host {trimmed:?} has no host")))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            if !is_loopback(&host) && !allow_insecure_http {
                return Err(Error::Config(format!(
                    "api_host {trimmed:?} uses http:// for a non-loopback host; use https:// or set allow_insecure_http = true"
                )));
            }
        }
        other => {
            return Err(Error::Config(format!(
                "api_host {trimmed:?} has unsupported scheme {other:?} (use https://)"
            )));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "api_host {trimmed:?} must not contain a query or fragment"
        )));
    }
    if !matches!(url.path(), "" | "/") {
        return Err(Error::Config(format!(
            "api_host {trimmed:?} must not contain a path ({:?}): the provider adds /api/v2/… itself; use only the scheme and host, for example {:?}",
            url.path(),
            url.origin().ascii_serialization()
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_api_host_are_refused_without_echoing_them() {
        let e = normalize_api_host("https://ci:hunter2@app.launchdarkly.com", false)
            .expect_err("userinfo");
        let text = e.to_string();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(
            text.contains("app.launchdarkly.com") && text.contains("access_token"),
            "{text}"
        );
    }

    #[test]
    fn normalisation_table() {
        let cases: &[(&str, bool, Option<&str>)] = &[
            ("", false, Some("https://app.launchdarkly.com")),
            (
                "app.launchdarkly.com",
                false,
                Some("https://app.launchdarkly.com"),
            ),
            (
                "https://app.eu.launchdarkly.com/",
                false,
                Some("https://app.eu.launchdarkly.com"),
            ),
            (
                "http://127.0.0.1:8111",
                false,
                Some("http://127.0.0.1:8111"),
            ),
            ("http://localhost:1", false, Some("http://localhost:1")),
            ("http://[::1]:9/", false, Some("http://[::1]:9")),
            ("http://ld-emulator:8111", false, None),
            ("https://user:hunter2@app.launchdarkly.com", false, None),
            ("https://user@app.launchdarkly.com", false, None),
            (
                "http://ld-emulator:8111",
                true,
                Some("http://ld-emulator:8111"),
            ),
            ("ftp://x", true, None),
            ("https://x/?a=b", false, None),
            // Regression (reliability defect 7): a path made every GET a 404 that read as
            // "deleted", and `destroy` emptied the state while the tokens stayed live.
            ("https://proxy.example/ld/", false, None),
            ("http://127.0.0.1:8111/api/v2", false, None),
            ("app.launchdarkly.com/api/v2/", false, None),
        ];
        for (input, insecure, expected) in cases {
            let got = normalize_api_host(input, *insecure).ok();
            assert_eq!(
                got.as_deref(),
                *expected,
                "input {input:?} insecure={insecure}"
            );
        }
    }
}
