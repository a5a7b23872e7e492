//! The resource's private state (stored by Terraform beside the state, never shown): a small
//! JSON object. Today it carries one fact a refresh learns and the plan acts on: the secret
//! in state was reset outside Terraform (issue 12, item 5). Unknown content (e.g. v2's
//! `null`) reads as "nothing noted" and is replaced when a fact is written.

const SECRET_RESET: &str = "secret_reset_outside_terraform";

fn object(private: &[u8]) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::from_slice::<serde_json::Value>(private) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    }
}

/// Whether a refresh found that the secret in state no longer matches LaunchDarkly's.
pub fn secret_reset(private: &[u8]) -> bool {
    object(private)
        .get(SECRET_RESET)
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

/// `private` with the secret-reset fact set or cleared (empty when nothing is noted).
pub fn with_secret_reset(private: &[u8], reset: bool) -> Vec<u8> {
    let mut m = object(private);
    if reset {
        m.insert(SECRET_RESET.into(), serde_json::Value::Bool(true));
    } else {
        m.remove(SECRET_RESET);
    }
    if m.is_empty() {
        return if private.is_empty() || !secret_reset(private) {
            private.to_vec()
        } else {
            Vec::new()
        };
    }
    serde_json::to_vec(&serde_json::Value::Object(m)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        assert!(!secret_reset(b""));
        assert!(!secret_reset(b"null"));
        let p = with_secret_reset(b"null", true);
        assert!(secret_reset(&p));
        let cleared = with_secret_reset(&p, false);
        assert!(!secret_reset(&cleared));
        assert!(cleared.is_empty());
        assert_eq!(with_secret_reset(b"null", false), b"null".to_vec());
    }
}
