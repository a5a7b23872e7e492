//! The endpoints as data: one [`Endpoint`] descriptor per [`Operation`] (method, path
//! template, display name, the role action a 403 asks for, whether it is safe to repeat).
//! Everything that used to match on the operation reads the descriptor instead, so adding an
//! endpoint is one variant and one entry in [`Operation::endpoint`] (plus its request
//! builder in `request`).

use std::fmt;

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

/// An endpoint's rule for [`Repeatable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RepeatRule {
    /// Always safe to repeat.
    Safe,
    /// Never repeated once it may have reached the server.
    Unsafe,
    /// Safe only when every JSON Patch operation in the body is idempotent
    /// (`replace`/`test`); the request builder decides from the body.
    WhenPatchIsIdempotent,
}

/// One endpoint, described.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Path template below the API host; each `{…}` is filled, percent-encoded, from the
    /// builder's arguments in order.
    pub path: &'static str,
    /// The name used in error messages and logs.
    pub name: &'static str,
    /// The LaunchDarkly role action needed (for 403 hints).
    pub required_action: &'static str,
    /// Whether a retry after a 5xx or a lost connection is allowed.
    pub repeat: RepeatRule,
}

impl Operation {
    /// This operation's descriptor: the one place where an endpoint is described.
    pub const fn endpoint(self) -> &'static Endpoint {
        match self {
            Operation::ListTokens => &Endpoint {
                method: Method::Get,
                path: "/api/v2/tokens",
                name: "list access tokens",
                required_action: "the Admin role (or a custom role on member/*:token/*) to see other members' tokens",
                repeat: RepeatRule::Safe,
            },
            Operation::CreateToken => &Endpoint {
                method: Method::Post,
                path: "/api/v2/tokens",
                name: "create access token",
                required_action: "the Admin role or a custom role allowing createAccessToken on member/*:token/*",
                repeat: RepeatRule::Unsafe,
            },
            Operation::GetToken => &Endpoint {
                method: Method::Get,
                path: "/api/v2/tokens/{id}",
                name: "get access token",
                required_action: "the Admin role (or a custom role on member/*:token/*) to see other members' tokens",
                repeat: RepeatRule::Safe,
            },
            Operation::PatchToken => &Endpoint {
                method: Method::Patch,
                path: "/api/v2/tokens/{id}",
                name: "update access token",
                required_action: "the Admin role or a custom role allowing updateAccessTokenName/updateAccessTokenDescription/updateAccessTokenPolicy on member/*:token/*",
                repeat: RepeatRule::WhenPatchIsIdempotent,
            },
            Operation::DeleteToken => &Endpoint {
                method: Method::Delete,
                path: "/api/v2/tokens/{id}",
                name: "delete access token",
                required_action: "the Admin role or a custom role allowing deleteAccessToken on member/*:token/*",
                repeat: RepeatRule::Safe,
            },
            Operation::ResetToken => &Endpoint {
                method: Method::Post,
                path: "/api/v2/tokens/{id}/reset",
                name: "reset access token",
                required_action: "the Admin role or a custom role allowing resetAccessToken on member/*:token/*",
                repeat: RepeatRule::Unsafe,
            },
            Operation::GetCustomRole => &Endpoint {
                method: Method::Get,
                path: "/api/v2/roles/{keyOrId}",
                name: "get custom role",
                required_action: "a role that can view custom roles (e.g. reader)",
                repeat: RepeatRule::Safe,
            },
        }
    }

    /// The name used in error messages.
    pub fn name(self) -> &'static str {
        self.endpoint().name
    }

    /// The LaunchDarkly role action needed (for 403 hints).
    pub fn required_action(self) -> &'static str {
        self.endpoint().required_action
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Endpoint {
    /// The path with each `{…}` placeholder replaced, in order, by the percent-encoded
    /// `segments` (a missing segment leaves the placeholder empty; extra ones are ignored).
    pub fn fill_path(&self, segments: &[&str]) -> String {
        let mut out = String::with_capacity(self.path.len());
        let mut rest = self.path;
        let mut args = segments.iter();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            out.push_str(&rest[..open]);
            if let Some(segment) = args.next() {
                out.push_str(&encode_segment(segment));
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// How many `{…}` placeholders the path template has.
    pub fn placeholders(&self) -> usize {
        self.path.matches('{').count()
    }

    /// The [`Repeatable`] of a request to this endpoint; `patch_is_idempotent` is consulted
    /// only under [`RepeatRule::WhenPatchIsIdempotent`].
    pub fn repeatable(&self, patch_is_idempotent: bool) -> Repeatable {
        match self.repeat {
            RepeatRule::Safe => Repeatable::Safe,
            RepeatRule::Unsafe => Repeatable::Unsafe,
            RepeatRule::WhenPatchIsIdempotent if patch_is_idempotent => Repeatable::Safe,
            RepeatRule::WhenPatchIsIdempotent => Repeatable::Unsafe,
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Operation; 7] = [
        Operation::ListTokens,
        Operation::CreateToken,
        Operation::GetToken,
        Operation::PatchToken,
        Operation::DeleteToken,
        Operation::ResetToken,
        Operation::GetCustomRole,
    ];

    #[test]
    fn every_endpoint_is_described_under_api_v2_with_a_distinct_name() {
        let mut names = std::collections::HashSet::new();
        for op in ALL {
            let e = op.endpoint();
            assert!(e.path.starts_with("/api/v2/"), "{op:?}: {}", e.path);
            assert!(!e.required_action.is_empty(), "{op:?}");
            assert!(names.insert(e.name), "{op:?}: duplicate name {}", e.name);
            assert_eq!(op.to_string(), e.name);
            // POST is never blindly repeated.
            if e.method == Method::Post {
                assert_eq!(e.repeat, RepeatRule::Unsafe, "{op:?}");
            }
        }
    }

    #[test]
    fn fill_path_encodes_each_placeholder_in_order() {
        let reset = Operation::ResetToken.endpoint();
        assert_eq!(reset.placeholders(), 1);
        assert_eq!(reset.fill_path(&["a/b"]), "/api/v2/tokens/a%2Fb/reset");
        assert_eq!(
            Operation::ListTokens.endpoint().fill_path(&[]),
            "/api/v2/tokens"
        );
        // Never panics on a mismatch; a missing segment leaves the placeholder empty.
        assert_eq!(reset.fill_path(&[]), "/api/v2/tokens//reset");
        assert_eq!(reset.fill_path(&["x", "y"]), "/api/v2/tokens/x/reset");
        let odd = Endpoint {
            path: "/a/{unclosed",
            ..*reset
        };
        assert_eq!(odd.fill_path(&["x"]), "/a/{unclosed");
    }

    #[test]
    fn repeat_rules_resolve_per_request() {
        let patch = Operation::PatchToken.endpoint();
        assert_eq!(patch.repeatable(true), Repeatable::Safe);
        assert_eq!(patch.repeatable(false), Repeatable::Unsafe);
        assert_eq!(
            Operation::GetToken.endpoint().repeatable(false),
            Repeatable::Safe
        );
        assert_eq!(
            Operation::CreateToken.endpoint().repeatable(true),
            Repeatable::Unsafe
        );
    }
}
