//! Decoding 2xx bodies into the models. A failure names the JSON path of the first bad
//! value (`totalCount`, `items[0]._id`; `.` for the whole body), tracked by
//! `serde_path_to_error`. Paths and messages may quote server text, so both are scrubbed
//! of key-shaped strings and cut to a bounded length.

use serde::de::DeserializeOwned;

use super::Error;
use super::request::Operation;
use crate::secret::scrub_and_cut;

/// The longest path or message a decode error carries, in characters.
const MAX_DETAIL_CHARS: usize = 300;

/// Decodes a JSON body (a whole body: trailing data is an error), naming the failing field.
pub fn decode<T: DeserializeOwned>(operation: Operation, body: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        decode_error(operation, &path, e.inner())
    })?;
    de.end().map_err(|e| decode_error(operation, ".", &e))?;
    Ok(value)
}

fn decode_error(operation: Operation, path: &str, e: &serde_json::Error) -> Error {
    Error::Decode {
        operation,
        path: bounded(path),
        message: bounded(&e.to_string()),
    }
}

/// `text` scrubbed, then cut to [`MAX_DETAIL_CHARS`].
fn bounded(text: &str) -> String {
    scrub_and_cut(text, MAX_DETAIL_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{CustomRole, Token, Tokens};

    const ITEM: &str =
        r#"{"_id":"a","ownerId":"o","memberId":"m","creationDate":1,"lastModified":1,"_links":{}}"#;

    fn path_and_message<T: DeserializeOwned + std::fmt::Debug>(
        op: Operation,
        body: &str,
    ) -> (String, String) {
        match decode::<T>(op, body.as_bytes()) {
            Err(Error::Decode { path, message, .. }) => (path, message),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn decode_names_the_failing_item() {
        let body = format!(r#"{{"items":[{ITEM},{{"_id":"b"}}],"totalCount":2}}"#);
        let (path, message) = path_and_message::<Tokens>(Operation::ListTokens, &body);
        assert_eq!(path, "items[1]");
        assert!(message.contains("ownerId"), "{message}");
    }

    /// Regression: a string `totalCount` used to be reported at path `.`.
    #[test]
    fn a_bad_total_count_is_named() {
        let body = format!(r#"{{"items":[{ITEM}],"totalCount":"2"}}"#);
        let (path, message) = path_and_message::<Tokens>(Operation::ListTokens, &body);
        assert_eq!(path, "totalCount");
        assert!(message.contains("invalid type"), "{message}");
    }

    #[test]
    fn a_bad_field_inside_an_item_is_named() {
        let body = r#"{"items":[{"_id":7,"ownerId":"o","memberId":"m","creationDate":1,"lastModified":1,"_links":{}}]}"#;
        let (path, _) = path_and_message::<Tokens>(Operation::ListTokens, body);
        assert_eq!(path, "items[0]._id");
        let e = decode::<Tokens>(Operation::ListTokens, body.as_bytes()).expect_err("bad");
        assert!(e.to_string().contains("`items[0]._id`"), "{e}");
    }

    #[test]
    fn a_bad_field_in_a_single_token_or_role_is_named() {
        let body = r#"{"_id":"a","ownerId":"o","memberId":"m","creationDate":"yesterday","lastModified":1,"_links":{}}"#;
        let (path, _) = path_and_message::<Token>(Operation::GetToken, body);
        assert_eq!(path, "creationDate");
        let body = r#"{"_id":"a","ownerId":"o","memberId":"m","creationDate":1,"lastModified":1,"_links":{"self":{"href":5}}}"#;
        let (path, _) = path_and_message::<Token>(Operation::GetToken, body);
        assert_eq!(path, "_links.self.href");
        let (path, _) =
            path_and_message::<CustomRole>(Operation::GetCustomRole, r#"{"_id":"r","key":1}"#);
        assert_eq!(path, "key");
        let (path, _) = path_and_message::<CustomRole>(Operation::GetCustomRole, "5");
        assert_eq!(path, ".");
    }

    #[test]
    fn null_or_missing_items_are_an_empty_page_and_trailing_data_is_an_error() {
        for body in [r#"{"items":null,"totalCount":0}"#, r#"{"totalCount":0}"#] {
            let page: Tokens = decode(Operation::ListTokens, body.as_bytes()).expect(body);
            assert!(page.items.is_empty());
        }
        let (path, _) = path_and_message::<Tokens>(Operation::ListTokens, r#"{"items":5}"#);
        assert_eq!(path, "items");
        let (path, message) = path_and_message::<Tokens>(Operation::ListTokens, "{} {}");
        assert_eq!(path, ".");
        assert!(message.contains("trailing"), "{message}");
    }

    #[test]
    fn server_text_in_a_decode_error_is_scrubbed_and_bounded() {
        let key = "api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b";
        let body = format!(r#"{{"items":[],"totalCount":"{key}"}}"#);
        let (_, message) = path_and_message::<Tokens>(Operation::ListTokens, &body);
        assert!(!message.contains("0b6f8a1e"), "{message}");
        assert!(message.contains("4a5b"), "{message}");

        let long = "x".repeat(100_000);
        let body = format!(r#"{{"items":[],"totalCount":"{long}"}}"#);
        let (_, message) = path_and_message::<Tokens>(Operation::ListTokens, &body);
        assert!(
            message.chars().count() <= MAX_DETAIL_CHARS + 1,
            "{}",
            message.len()
        );
        let body = format!(r#"{{"_id":"a","_links":{{"{long}":{{"href":1}}}}}}"#);
        let (path, _) = path_and_message::<Token>(Operation::GetToken, &body);
        assert!(
            path.chars().count() <= MAX_DETAIL_CHARS + 1,
            "{}",
            path.len()
        );
        assert!(path.starts_with("_links.xxx"), "{path}");
    }

    proptest::proptest! {
        #[test]
        fn decoding_arbitrary_bodies_never_panics(body in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = decode::<Tokens>(Operation::ListTokens, &body);
            let _ = decode::<Token>(Operation::GetToken, &body);
            let _ = super::super::ApiErrorDetail::from_response(Operation::GetToken, 500, &body, None, String::new(), 1);
        }
    }
}
