//! Secrets that must never reach a log line or an error message.
//!
//! LaunchDarkly access tokens are bearer credentials. [`Secret`] holds one and only reveals it
//! through [`Secret::expose`]; its `Debug` and `Display` show the last four characters, which is
//! what LaunchDarkly itself shows for an existing token. [`scrub`] redacts anything that looks
//! like a token inside free text (for example an error message echoed by a server).

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A credential or token value. Serialises to the full value (it has to be sent), but is
/// redacted to its last four characters whenever it is formatted.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The full value. Call this only where the value is sent or stored on purpose.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four characters (fewer if the value is shorter), as LaunchDarkly shows them.
    pub fn last4(&self) -> &str {
        last4(&self.0)
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The last four characters of `s` (char-boundary safe).
pub fn last4(s: &str) -> &str {
    let start = s.char_indices().rev().nth(3).map(|(i, _)| i).unwrap_or(0);
    &s[start..]
}

/// The redacted form used by `Debug`/`Display`: `…abcd`.
pub fn redacted(s: &str) -> String {
    if s.is_empty() {
        String::from("<empty>")
    } else {
        format!("…{}", last4(s))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", redacted(&self.0))
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redacted(&self.0))
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

/// A LaunchDarkly key: `api-`, `sdk-` or `mob-` and a UUID. No word boundaries: a key is
/// found whatever touches it (`x_api-…`, `%3Aapi-…` from a URL-encoded header echo,
/// `api-…_expired`), since redacting a little too much is harmless and missing a key is not.
fn token_pattern() -> Option<&'static Regex> {
    static PATTERN: OnceLock<Option<Regex>> = OnceLock::new();
    PATTERN
        .get_or_init(|| {
            Regex::new(
                r"(?i)(?:api|sdk|mob)-[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{8}([0-9a-z]{4})",
            )
            .ok()
        })
        .as_ref()
}

/// Replaces every LaunchDarkly-style key (`api-<uuid>`, `sdk-…`, `mob-…`) in `text` with its
/// redacted form (`…` and the last four characters), whatever characters surround it, so
/// server-provided text can be shown safely. Should the pattern ever fail to build, the whole
/// text is withheld rather than shown unscrubbed.
pub fn scrub(text: &str) -> String {
    match token_pattern() {
        Some(re) => re.replace_all(text, "…$1").into_owned(),
        None => String::from("(text withheld: it could not be checked for secrets)"),
    }
}

/// [`scrub`], then cut to `max_chars` characters (with `…` when cut). Always in that order:
/// cutting first could halve a key so that the scrubber no longer recognises it and the
/// remaining prefix leaks.
pub fn scrub_and_cut(text: &str, max_chars: usize) -> String {
    let scrubbed = scrub(text);
    if scrubbed.chars().nth(max_chars).is_none() {
        return scrubbed;
    }
    let mut cut: String = scrubbed.chars().take(max_chars).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_show_only_the_last_four_characters() {
        let s = Secret::new("api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b");
        assert_eq!(format!("{s}"), "…4a5b");
        assert_eq!(format!("{s:?}"), "Secret(…4a5b)");
        assert!(!format!("{s:?}").contains("0b6f8a1e"));
    }

    #[test]
    fn last4_handles_short_and_multibyte_values() {
        assert_eq!(last4("ab"), "ab");
        assert_eq!(last4(""), "");
        assert_eq!(last4("xxééé€"), "ééé€");
    }

    #[test]
    fn scrub_redacts_embedded_tokens() {
        let text = "token api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b is bad";
        assert_eq!(scrub(text), "token …4a5b is bad");
    }

    const KEY: &str = "api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b";

    #[test]
    fn scrub_finds_keys_whatever_touches_them() {
        let prefix = &KEY[..KEY.len() - 4];
        for (text, want) in [
            (format!("x_{KEY}"), "x_…4a5b".to_string()),
            (format!("Authorization%3A{KEY}"), "Authorization%3A…4a5b".into()),
            (format!("Authorization%3a{KEY}%0D"), "Authorization%3a…4a5b%0D".into()),
            (format!("token {KEY}_expired"), "token …4a5b_expired".into()),
            (format!("{KEY}{KEY}"), "…4a5b…4a5b".into()),
            (format!("a{}b", KEY.to_uppercase()), "a…4A5Bb".into()),
            (
                "sdk-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b9 mob-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f0000".into(),
                "…4a5b9 …0000".into(),
            ),
        ] {
            let got = scrub(&text);
            assert_eq!(got, want, "{text}");
            assert!(!got.to_lowercase().contains(prefix), "{got}");
        }
        assert_eq!(
            scrub("api-short and plain text"),
            "api-short and plain text"
        );
    }

    #[test]
    fn scrub_and_cut_scrubs_before_cutting() {
        // The key starts at character 264: a cut at 300 would keep all but its last four.
        let text = format!("{} {KEY} trailing", "x".repeat(263));
        let got = scrub_and_cut(&text, 300);
        assert!(!got.contains(&KEY[..KEY.len() - 4]), "{got}");
        assert!(got.ends_with("…4a5b trailing"), "{got}");
        let long = format!("{KEY} {}", "y".repeat(400));
        let got = scrub_and_cut(&long, 10);
        assert_eq!(got, "…4a5b yyyy…");
        assert_eq!(scrub_and_cut("short", 10), "short");
        assert_eq!(scrub_and_cut("ééééé", 5), "ééééé");
    }

    #[test]
    fn serialises_the_full_value() {
        let s = Secret::new("api-x");
        assert_eq!(serde_json::to_string(&s).ok().as_deref(), Some("\"api-x\""));
    }
}
