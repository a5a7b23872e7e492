//! The `provider "launchdarkly"` block: its schema (names and environment
//! variables as the official provider), validation at validate/plan time
//! with attribute paths, and resolution of the effective settings at
//! configure time (config wins over env when non-empty).

use crate::framework::number::Number;
use crate::framework::typed::field;
use crate::framework::{Attr, Attribute, AttributePath, Block, Diagnostics, Schema, Type, Value};
use std::time::Duration;
use url::Url;

pub const ENV_ACCESS_TOKEN: &str = "LAUNCHDARKLY_ACCESS_TOKEN";
pub const ENV_OAUTH_TOKEN: &str = "LAUNCHDARKLY_OAUTH_TOKEN";
pub const ENV_API_HOST: &str = "LAUNCHDARKLY_API_HOST";
pub use crate::client::DEFAULT_API_HOST;
/// The client's default HTTP timeout in seconds (the official provider's default).
pub const DEFAULT_HTTP_TIMEOUT_SECS: u64 = crate::client::DEFAULT_HTTP_TIMEOUT.as_secs();
/// The client's default concurrency: Terraform's default `-parallelism`; see
/// docs/index.md for why.
pub const DEFAULT_MAX_CONCURRENCY: u64 = crate::client::DEFAULT_MAX_CONCURRENCY as u64;

pub fn schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "Manage LaunchDarkly API access tokens.".into(),
            attributes: vec![
                Attribute::optional(
                    "access_token",
                    Type::String,
                    "LaunchDarkly API access token. Falls back to the `LAUNCHDARKLY_ACCESS_TOKEN` environment variable. One of `access_token` or `oauth_token` is required.",
                )
                .sensitive(),
                Attribute::optional(
                    "oauth_token",
                    Type::String,
                    "LaunchDarkly OAuth token. Falls back to `LAUNCHDARKLY_OAUTH_TOKEN`. Used instead of `access_token` when both are available.",
                )
                .sensitive(),
                Attribute::optional(
                    "api_host",
                    Type::String,
                    "LaunchDarkly API host. Falls back to `LAUNCHDARKLY_API_HOST`, then `https://app.launchdarkly.com`. Without a scheme, `https://` is assumed. No path (the provider adds `/api/v2/...` itself), query or fragment. `http://` is accepted for loopback hosts only, unless `allow_insecure_http = true`.",
                ),
                Attribute::optional(
                    "http_timeout",
                    Type::Number,
                    "Timeout in seconds for each HTTP attempt (default 20; `0` means the default). A separate overall deadline bounds a call with its retries.",
                ),
                Attribute::optional(
                    "max_concurrency",
                    Type::Number,
                    "Maximum number of concurrent API requests (default 10, Terraform's default `-parallelism`; `0` means the default). Lowered automatically when LaunchDarkly's rate-limit headers run low.",
                ),
                Attribute::optional(
                    "allow_insecure_http",
                    Type::Bool,
                    "Allow an `http://` `api_host` that is not a loopback address (for example an emulator running as a CI sidecar). Never use this with the real LaunchDarkly.",
                ),
            ],
            ..Block::default()
        },
    }
}

/// Effective settings after configure. Credentials are redacted in `Debug`.
#[derive(Clone)]
pub struct Settings {
    pub credential: String,
    pub credential_source: &'static str,
    pub api_host: Url,
    pub http_timeout: Duration,
    pub max_concurrency: usize,
    pub allow_insecure_http: bool,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("credential", &"<redacted>")
            .field("credential_source", &self.credential_source)
            .field("api_host", &self.api_host.as_str())
            .field("http_timeout", &self.http_timeout)
            .field("max_concurrency", &self.max_concurrency)
            .finish()
    }
}

/// Parses and checks an API host with the client's rules (no scheme means
/// https; http only for loopback hosts unless `allow_insecure`).
pub fn parse_api_host(raw: &str, allow_insecure: bool) -> Result<Url, String> {
    let base = crate::client::normalize_api_host(raw, allow_insecure).map_err(|e| match e {
        crate::client::Error::Config(msg) => msg,
        other => other.to_string(),
    })?;
    Url::parse(&base).map_err(|e| format!("api_host {raw:?} is not a valid URL: {e}"))
}

/// A non-negative whole number attribute (0 = default); `None` when unset or unknown.
fn non_negative(config: &Value, name: &str, d: &mut Diagnostics) -> Option<u64> {
    let path = AttributePath::attr(name);
    match field::<Attr<Number>>(config, &AttributePath::root(), name) {
        Ok(Attr::Known(n)) => match n.to_i64() {
            Some(i) if i >= 0 => Some(i as u64),
            Some(_) => {
                d.attribute_error(
                    path,
                    format!("Invalid {name}"),
                    format!(
                        "{name} must be zero (the default) or a positive whole number, got {n}."
                    ),
                );
                None
            }
            None => {
                d.attribute_error(
                    path,
                    format!("Invalid {name}"),
                    format!("{name} must be a whole number, got {n}."),
                );
                None
            }
        },
        Ok(_) => None,
        Err(e) => {
            d.push(e);
            None
        }
    }
}

fn string_attr(config: &Value, name: &str) -> Attr<String> {
    field::<Attr<String>>(config, &AttributePath::root(), name).unwrap_or(Attr::Unknown)
}

/// Static checks (PrepareProviderConfig). Unknown values are accepted.
pub fn validate(config: &Value) -> Diagnostics {
    let mut d = Diagnostics::new();
    non_negative(config, "http_timeout", &mut d);
    non_negative(config, "max_concurrency", &mut d);
    let insecure = field::<Attr<bool>>(config, &AttributePath::root(), "allow_insecure_http")
        .unwrap_or(Attr::Unknown);
    if let Attr::Known(host) = string_attr(config, "api_host") {
        if !host.is_empty() && !insecure.is_unknown() {
            if let Err(msg) = parse_api_host(&host, insecure.known().copied().unwrap_or(false)) {
                d.attribute_error(AttributePath::attr("api_host"), "Invalid api_host", msg);
            }
        }
    }
    for name in ["access_token", "oauth_token"] {
        if let Attr::Known(v) = string_attr(config, name) {
            if let Some(problem) = credential_problem(&v) {
                d.attribute_error(
                    AttributePath::attr(name),
                    format!("Invalid {name}"),
                    format!("{name} {problem}"),
                );
            }
        }
    }
    d
}

/// What makes a credential unusable before any request (it could never be sent as an HTTP
/// header, so no retry can help), or `None`. Never includes the value itself.
pub fn credential_problem(v: &str) -> Option<String> {
    if v.is_empty() {
        return None;
    }
    if v.ends_with("\r\n") || v.ends_with('\r') {
        return Some(
            "ends with a carriage return (\\r), as a token file saved with Windows line endings does. \
             Strip it, e.g. `$(tr -d '\\r\\n' < token.txt)`, or copy the token again."
                .into(),
        );
    }
    if v.trim() != v {
        return Some(
            "has leading or trailing whitespace (a space or a newline); copy the token again."
                .into(),
        );
    }
    if let Some(c) = v.chars().find(|c| !c.is_ascii_graphic()) {
        return Some(format!(
            "contains the character {:?}, which an HTTP header cannot carry; LaunchDarkly tokens are plain ASCII \
             (e.g. api-…). Copy the token again.",
            if c.is_control() {
                format!("U+{:04X}", c as u32)
            } else {
                c.to_string()
            }
        ));
    }
    None
}

/// What configure found.
pub enum Resolved {
    Ready(Settings),
    /// Some configuration is unknown until apply; resources will say so if used.
    Deferred,
}

/// Resolves the effective settings from config and environment.
pub fn resolve(
    config: &Value,
    env: &dyn Fn(&str) -> Option<String>,
) -> (Option<Resolved>, Diagnostics) {
    let mut d = validate(config);
    if d.has_errors() {
        return (None, d);
    }
    let names = [
        "access_token",
        "oauth_token",
        "api_host",
        "http_timeout",
        "max_concurrency",
        "allow_insecure_http",
    ];
    if names
        .iter()
        .any(|n| config.get(n).is_some_and(Value::is_unknown))
    {
        return (Some(Resolved::Deferred), d);
    }
    let pick = |name: &str, var: &str| -> Option<(String, String)> {
        match string_attr(config, name) {
            Attr::Known(v) if !v.is_empty() => Some((v, format!("the provider attribute {name}"))),
            _ => env(var)
                .filter(|v| !v.is_empty())
                .map(|v| (v, format!("the environment variable {var}"))),
        }
    };
    let access = pick("access_token", ENV_ACCESS_TOKEN);
    let oauth = pick("oauth_token", ENV_OAUTH_TOKEN);
    // The environment gets the same checks as the attributes (validate), before any request.
    for (picked, var) in [(&access, ENV_ACCESS_TOKEN), (&oauth, ENV_OAUTH_TOKEN)] {
        if let Some((v, src)) = picked {
            if src.starts_with("the environment") {
                if let Some(problem) = credential_problem(v) {
                    d.error(
                        format!("Invalid {var}"),
                        format!("The environment variable {var} {problem}"),
                    );
                }
            }
        }
    }
    if d.has_errors() {
        return (None, d);
    }
    let (credential, credential_source) = match (access, oauth) {
        (Some((_, a_src)), Some((o, o_src))) => {
            d.warning(
                "Two LaunchDarkly credentials configured",
                format!("Both an access token ({a_src}) and an OAuth token ({o_src}) are set; the OAuth token is used. Remove one to silence this warning."),
            );
            (o, "oauth_token")
        }
        (None, Some((o, _))) => (o, "oauth_token"),
        (Some((a, _)), None) => (a, "access_token"),
        (None, None) => {
            d.error(
                "Missing LaunchDarkly credentials",
                format!(
                    "Set the provider attribute access_token or oauth_token, or the environment variable {ENV_ACCESS_TOKEN} or {ENV_OAUTH_TOKEN}. \
                     Create an API access token under Account settings → Authorization in LaunchDarkly."
                ),
            );
            return (None, d);
        }
    };
    let insecure = field::<Attr<bool>>(config, &AttributePath::root(), "allow_insecure_http")
        .ok()
        .and_then(Attr::into_known)
        .unwrap_or(false);
    let (host_raw, host_path) = match pick("api_host", ENV_API_HOST) {
        Some((h, src)) if src.starts_with("the provider") => {
            (h, Some(AttributePath::attr("api_host")))
        }
        Some((h, _)) => (h, None),
        None => (DEFAULT_API_HOST.to_string(), None),
    };
    let api_host = match parse_api_host(&host_raw, insecure) {
        Ok(u) => u,
        Err(msg) => {
            match host_path {
                Some(p) => d.attribute_error(p, "Invalid api_host", msg),
                None => d.error(format!("Invalid {ENV_API_HOST}"), msg),
            }
            return (None, d);
        }
    };
    let timeout = non_negative(config, "http_timeout", &mut d)
        .filter(|v| *v > 0)
        .unwrap_or(DEFAULT_HTTP_TIMEOUT_SECS);
    let conc = non_negative(config, "max_concurrency", &mut d)
        .filter(|v| *v > 0)
        .unwrap_or(DEFAULT_MAX_CONCURRENCY);
    let settings = Settings {
        credential,
        credential_source,
        api_host,
        http_timeout: Duration::from_secs(timeout),
        max_concurrency: usize::try_from(conc).unwrap_or(usize::MAX),
        allow_insecure_http: insecure,
    };
    (Some(Resolved::Ready(settings)), d)
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
