//! Requests as plain data: every API call is first built here as an [`ApiRequest`]
//! (operation, method, path, query, body, whether it is safe to repeat) without any I/O, so
//! unit tests can inspect exactly what would be sent. `transport` sends them.

use std::fmt;

use serde_json::Value;

use crate::models::{AccessTokenPost, PatchOperation};

/// The LaunchDarkly operations this client performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `GET /api/v2/tokens`
    ListTokens,
    /// `POST /api/v2/tokens`
    CreateToken,
    /// `GET /api/v2/tokens/{id}`
    GetToken,
    /// `PATCH /api/v2/tokens/{id}`
    PatchToken,
    /// `DELETE /api/v2/tokens/{id}`
    DeleteToken,
    /// `POST /api/v2/tokens/{id}/reset`
    ResetToken,
    /// `GET /api/v2/roles/{keyOrId}`
    GetCustomRole,
}

impl Operation {
    /// The name used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Operation::ListTokens => "list access tokens",
            Operation::CreateToken => "create access token",
            Operation::GetToken => "get access token",
            Operation::PatchToken => "update access token",
            Operation::DeleteToken => "delete access token",
            Operation::ResetToken => "reset access token",
            Operation::GetCustomRole => "get custom role",
        }
    }

    /// The LaunchDarkly role action needed (for 403 hints).
    pub fn required_action(self) -> &'static str {
        match self {
            Operation::ListTokens | Operation::GetToken => {
                "the Admin role (or a custom role on member/*:token/*) to see other members' tokens"
            }
            Operation::CreateToken => {
                "the Admin role or a custom role allowing createAccessToken on member/*:token/*"
            }
            Operation::PatchToken => {
                "the Admin role or a custom role allowing updateAccessTokenName/updateAccessTokenDescription/updateAccessTokenPolicy on member/*:token/*"
            }
            Operation::DeleteToken => {
                "the Admin role or a custom role allowing deleteAccessToken on member/*:token/*"
            }
            Operation::ResetToken => {
                "the Admin role or a custom role allowing resetAccessToken on member/*:token/*"
            }
            Operation::GetCustomRole => "a role that can view custom roles (e.g. reader)",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// HTTP methods used by the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method as `reqwest` wants it.
    pub fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// Whether a request may be sent again after a server error or a lost connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Repeatable {
    /// Repeating it cannot change the outcome (GET, DELETE, PATCH of replace/test ops).
    Safe,
    /// Repeating it could act twice (create, reset, PATCH with add/remove/move/copy).
    Unsafe,
}

/// One API request, fully described, not yet sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    /// What the request does.
    pub operation: Operation,
    /// HTTP method.
    pub method: Method,
    /// Path below the API host, starting with `/api/v2/`, path segments percent-encoded.
    pub path: String,
    /// Query parameters in order.
    pub query: Vec<(&'static str, String)>,
    /// JSON body, if any (sent with `Content-Type: application/json`).
    pub body: Option<Value>,
    /// Whether a retry after a 5xx or connection loss is allowed.
    pub repeatable: Repeatable,
}

/// Parameters of one page of `GET /api/v2/tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListParams {
    /// `showAll=true`: with an Admin token, include other members' personal tokens.
    pub show_all: bool,
    /// Page size (`limit`).
    pub limit: u32,
    /// Items to skip (`offset`).
    pub offset: u64,
}

impl Default for ListParams {
    fn default() -> Self {
        ListParams {
            show_all: false,
            limit: DEFAULT_PAGE_LIMIT,
            offset: 0,
        }
    }
}

/// The documented default (and our requested) page size.
pub const DEFAULT_PAGE_LIMIT: u32 = 25;

/// Percent-encodes one path segment (everything but RFC 3986 unreserved characters).
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /api/v2/tokens?limit=..&offset=..[&showAll=true]`
pub fn list_tokens(params: ListParams) -> ApiRequest {
    let mut query = vec![
        ("limit", params.limit.to_string()),
        ("offset", params.offset.to_string()),
    ];
    if params.show_all {
        query.push(("showAll", String::from("true")));
    }
    ApiRequest {
        operation: Operation::ListTokens,
        method: Method::Get,
        path: String::from("/api/v2/tokens"),
        query,
        body: None,
        repeatable: Repeatable::Safe,
    }
}

/// `POST /api/v2/tokens` with an `AccessTokenPost` body. Never repeated blindly.
pub fn create_token(body: &AccessTokenPost) -> Result<ApiRequest, serde_json::Error> {
    Ok(ApiRequest {
        operation: Operation::CreateToken,
        method: Method::Post,
        path: String::from("/api/v2/tokens"),
        query: Vec::new(),
        body: Some(serde_json::to_value(body)?),
        repeatable: Repeatable::Unsafe,
    })
}

/// `GET /api/v2/tokens/{id}`
pub fn get_token(id: &str) -> ApiRequest {
    ApiRequest {
        operation: Operation::GetToken,
        method: Method::Get,
        path: format!("/api/v2/tokens/{}", encode_segment(id)),
        query: Vec::new(),
        body: None,
        repeatable: Repeatable::Safe,
    }
}

/// `PATCH /api/v2/tokens/{id}` with a JSON Patch array. Safe to repeat only when every
/// operation is `replace` or `test`.
pub fn patch_token(id: &str, ops: &[PatchOperation]) -> Result<ApiRequest, serde_json::Error> {
    let repeatable = if ops.iter().all(PatchOperation::is_idempotent) {
        Repeatable::Safe
    } else {
        Repeatable::Unsafe
    };
    Ok(ApiRequest {
        operation: Operation::PatchToken,
        method: Method::Patch,
        path: format!("/api/v2/tokens/{}", encode_segment(id)),
        query: Vec::new(),
        body: Some(serde_json::to_value(ops)?),
        repeatable,
    })
}

/// `DELETE /api/v2/tokens/{id}`
pub fn delete_token(id: &str) -> ApiRequest {
    ApiRequest {
        operation: Operation::DeleteToken,
        method: Method::Delete,
        path: format!("/api/v2/tokens/{}", encode_segment(id)),
        query: Vec::new(),
        body: None,
        repeatable: Repeatable::Safe,
    }
}

/// `POST /api/v2/tokens/{id}/reset[?expiry=<epoch ms>]`: `expiry` is the documented query
/// parameter (when the old secret stops working); without it the old secret dies at once.
pub fn reset_token(id: &str, expiry_ms: Option<i64>) -> ApiRequest {
    ApiRequest {
        operation: Operation::ResetToken,
        method: Method::Post,
        path: format!("/api/v2/tokens/{}/reset", encode_segment(id)),
        query: expiry_ms
            .map(|e| vec![("expiry", e.to_string())])
            .unwrap_or_default(),
        body: None,
        repeatable: Repeatable::Unsafe,
    }
}

/// `GET /api/v2/roles/{keyOrId}`
pub fn get_custom_role(key_or_id: &str) -> ApiRequest {
    ApiRequest {
        operation: Operation::GetCustomRole,
        method: Method::Get,
        path: format!("/api/v2/roles/{}", encode_segment(key_or_id)),
        query: Vec::new(),
        body: None,
        repeatable: Repeatable::Safe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::BaseRole;
    use serde_json::json;

    #[test]
    fn list_builds_limit_offset_and_show_all() {
        let r = list_tokens(ListParams {
            show_all: true,
            limit: 25,
            offset: 50,
        });
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.path, "/api/v2/tokens");
        assert_eq!(
            r.query,
            vec![
                ("limit", "25".to_string()),
                ("offset", "50".to_string()),
                ("showAll", "true".to_string())
            ]
        );
        assert_eq!(r.repeatable, Repeatable::Safe);
        let r = list_tokens(ListParams::default());
        assert!(!r.query.iter().any(|(k, _)| *k == "showAll"));
    }

    #[test]
    fn create_is_unsafe_and_omits_unset_fields() {
        let body = AccessTokenPost {
            name: Some("ci".into()),
            role: Some(BaseRole::Reader),
            ..Default::default()
        };
        let r = create_token(&body).expect("serialisable");
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.repeatable, Repeatable::Unsafe);
        assert_eq!(r.body, Some(json!({"name": "ci", "role": "reader"})));
    }

    #[test]
    fn reset_puts_expiry_in_the_query_and_sends_no_body() {
        let r = reset_token("abc", Some(1_754_386_400_000));
        assert_eq!(r.path, "/api/v2/tokens/abc/reset");
        assert_eq!(r.query, vec![("expiry", "1754386400000".to_string())]);
        assert_eq!(r.body, None);
        assert_eq!(r.repeatable, Repeatable::Unsafe);
        assert!(reset_token("abc", None).query.is_empty());
    }

    #[test]
    fn patch_is_safe_only_for_replace_and_test() {
        let safe = patch_token("t", &[PatchOperation::replace("/name", "x")]).expect("ok");
        assert_eq!(safe.repeatable, Repeatable::Safe);
        assert_eq!(
            safe.body,
            Some(json!([{"op": "replace", "path": "/name", "value": "x"}]))
        );
        let unsafe_ = patch_token(
            "t",
            &[
                PatchOperation::remove("/role"),
                PatchOperation::replace("/customRoleIds", json!(["a"])),
            ],
        )
        .expect("ok");
        assert_eq!(unsafe_.repeatable, Repeatable::Unsafe);
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(get_token("a/b c").path, "/api/v2/tokens/a%2Fb%20c");
        assert_eq!(
            get_custom_role("ci-reader_1").path,
            "/api/v2/roles/ci-reader_1"
        );
        assert_eq!(delete_token("x").method, Method::Delete);
    }
}
