//! Requests as plain data: every API call is first built here as an [`ApiRequest`]
//! (operation, method, path, query, body, whether it is safe to repeat) without any I/O, so
//! unit tests can inspect exactly what would be sent. `transport` sends them. Method, path
//! template and repeat rule come from the operation's [`Endpoint`] descriptor (`endpoint`).

use serde_json::Value;

pub use super::endpoint::{Endpoint, Method, Operation, RepeatRule, Repeatable, encode_segment};
use crate::models::{AccessTokenPost, PatchOperation};

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

impl ApiRequest {
    /// A request to `operation`'s endpoint with the path filled from `segments`, no query
    /// and no body; the builders below add those. A PATCH built this way counts as unsafe
    /// to repeat until its builder has looked at the operations.
    pub fn to(operation: Operation, segments: &[&str]) -> Self {
        let endpoint = operation.endpoint();
        ApiRequest {
            operation,
            method: endpoint.method,
            path: endpoint.fill_path(segments),
            query: Vec::new(),
            body: None,
            repeatable: endpoint.repeatable(false),
        }
    }
}

/// `GET /api/v2/tokens?limit=..&offset=..[&showAll=true]`
pub fn list_tokens(params: ListParams) -> ApiRequest {
    let mut req = ApiRequest::to(Operation::ListTokens, &[]);
    req.query = vec![
        ("limit", params.limit.to_string()),
        ("offset", params.offset.to_string()),
    ];
    if params.show_all {
        req.query.push(("showAll", String::from("true")));
    }
    req
}

/// `POST /api/v2/tokens` with an `AccessTokenPost` body. Never repeated blindly.
pub fn create_token(body: &AccessTokenPost) -> Result<ApiRequest, serde_json::Error> {
    let mut req = ApiRequest::to(Operation::CreateToken, &[]);
    req.body = Some(serde_json::to_value(body)?);
    Ok(req)
}

/// `GET /api/v2/tokens/{id}`
pub fn get_token(id: &str) -> ApiRequest {
    ApiRequest::to(Operation::GetToken, &[id])
}

/// `PATCH /api/v2/tokens/{id}` with a JSON Patch array. Safe to repeat only when every
/// operation is `replace` or `test`.
pub fn patch_token(id: &str, ops: &[PatchOperation]) -> Result<ApiRequest, serde_json::Error> {
    let mut req = ApiRequest::to(Operation::PatchToken, &[id]);
    req.body = Some(serde_json::to_value(ops)?);
    req.repeatable = Operation::PatchToken
        .endpoint()
        .repeatable(ops.iter().all(PatchOperation::is_idempotent));
    Ok(req)
}

/// `DELETE /api/v2/tokens/{id}`
pub fn delete_token(id: &str) -> ApiRequest {
    ApiRequest::to(Operation::DeleteToken, &[id])
}

/// `POST /api/v2/tokens/{id}/reset[?expiry=<epoch ms>]`: `expiry` is the documented query
/// parameter (when the old secret stops working); without it the old secret dies at once.
pub fn reset_token(id: &str, expiry_ms: Option<i64>) -> ApiRequest {
    let mut req = ApiRequest::to(Operation::ResetToken, &[id]);
    if let Some(expiry) = expiry_ms {
        req.query.push(("expiry", expiry.to_string()));
    }
    req
}

/// `GET /api/v2/roles/{keyOrId}`
pub fn get_custom_role(key_or_id: &str) -> ApiRequest {
    ApiRequest::to(Operation::GetCustomRole, &[key_or_id])
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

    #[test]
    fn builders_follow_their_endpoint_descriptor() {
        let patch = patch_token("p", &[PatchOperation::replace("/name", "x")]).expect("ok");
        let create = create_token(&AccessTokenPost::default()).expect("ok");
        for r in [
            list_tokens(ListParams::default()),
            create,
            get_token("g"),
            patch,
            delete_token("d"),
            reset_token("r", None),
            get_custom_role("c"),
        ] {
            let e = r.operation.endpoint();
            assert_eq!(r.method, e.method, "{:?}", r.operation);
            assert!(!r.path.contains('{'), "{}", r.path);
            assert_eq!(
                r.path.matches('/').count(),
                e.path.matches('/').count(),
                "{} vs {}",
                r.path,
                e.path
            );
        }
        // Built without a body, a PATCH is conservatively unsafe to repeat.
        assert_eq!(
            ApiRequest::to(Operation::PatchToken, &["t"]).repeatable,
            Repeatable::Unsafe
        );
    }
}
