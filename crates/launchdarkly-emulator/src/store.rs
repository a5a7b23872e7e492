//! The emulator's data: members, custom roles and tokens (with their full secrets and any
//! old secrets still in their grace period), how tokens render as API `Token`s, who can
//! see what, and how a credential authenticates.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::models::{CustomRole, Link, Links, MemberSummary, Statement, Token};
use crate::secret::last4;

/// The emulated account ID (`ownerId` of every token).
pub const ACCOUNT_ID: &str = "569f514156e003339cfd3917";
/// The member that owns the seeded admin keys.
pub const ADMIN_MEMBER_ID: &str = "569f514183f2164430000002";

/// A new 24-hex-character ObjectId.
pub fn new_object_id() -> String {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    bytes[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// A new token secret, `api-<uuid4>`.
pub fn new_secret() -> String {
    format!("api-{}", uuid::Uuid::new_v4())
}

/// A stable 24-hex ID derived from a key (custom role fixtures keep their IDs across runs).
pub fn stable_object_id(key: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("00000000{h:016x}")
}

/// An account member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Member ID.
    pub id: String,
    /// Email.
    pub email: String,
    /// Base role of the member.
    pub role: String,
}

/// An old secret that still works until `expires_at_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviousKey {
    /// The old secret.
    pub secret: String,
    /// When it stops working (emulated epoch ms).
    pub expires_at_ms: i64,
}

/// A token as the emulator stores it, full secret included (tests read these).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmulatedToken {
    /// Token ID.
    pub id: String,
    /// Creating member.
    pub member_id: String,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Service token?
    pub service_token: bool,
    /// Default API version.
    pub default_api_version: i64,
    /// Base role, if the token uses one.
    pub role: Option<String>,
    /// Custom role IDs.
    pub custom_role_ids: Vec<String>,
    /// Inline policy.
    pub inline_role: Vec<Statement>,
    /// The current full secret.
    pub secret: String,
    /// Old secrets still in their grace period.
    pub previous_keys: Vec<PreviousKey>,
    /// Created (emulated epoch ms).
    pub creation_date: i64,
    /// Last modified (emulated epoch ms).
    pub last_modified: i64,
    /// Last used (emulated epoch ms).
    pub last_used: Option<i64>,
}

impl EmulatedToken {
    /// Whether the token has the Admin base role.
    pub fn is_admin(&self) -> bool {
        self.role.as_deref() == Some("admin")
    }

    /// Whether `key` authenticates as this token at `now_ms`.
    pub fn accepts(&self, key: &str, now_ms: i64) -> bool {
        self.secret == key
            || self
                .previous_keys
                .iter()
                .any(|p| p.secret == key && now_ms < p.expires_at_ms)
    }
}

/// Everything the emulator remembers (and persists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    /// Members by ID.
    pub members: BTreeMap<String, Member>,
    /// Custom roles.
    pub roles: Vec<CustomRole>,
    /// Tokens in creation order.
    pub tokens: Vec<EmulatedToken>,
    /// Clock offset, persisted so expiry survives a restart.
    #[serde(default)]
    pub clock_offset_ms: i64,
}

impl Store {
    /// Index of the token `key` authenticates as.
    pub fn authenticate(&self, key: &str, now_ms: i64) -> Option<usize> {
        if key.is_empty() {
            return None;
        }
        self.tokens.iter().position(|t| t.accepts(key, now_ms))
    }

    /// Index of the token with ID `id`.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.tokens.iter().position(|t| t.id == id)
    }

    /// The member with `email`, created with role `reader` when absent.
    pub fn member_by_email(&mut self, email: &str) -> String {
        if let Some(m) = self.members.values().find(|m| m.email == email) {
            return m.id.clone();
        }
        let id = new_object_id();
        self.members.insert(
            id.clone(),
            Member {
                id: id.clone(),
                email: email.to_owned(),
                role: String::from("reader"),
            },
        );
        id
    }

    /// Resolves a custom role key or ID to the role's ID.
    pub fn resolve_role(&self, key_or_id: &str) -> Option<String> {
        self.roles
            .iter()
            .find(|r| r.id == key_or_id || r.key == key_or_id)
            .map(|r| r.id.clone())
    }

    /// The API representation; `full_secret` only for create and reset.
    pub fn render(&self, t: &EmulatedToken, full_secret: bool) -> Token {
        let member = self.members.get(&t.member_id).map(|m| {
            let mut links = Links::new();
            links.insert(
                String::from("self"),
                Link::json(format!("/api/v2/members/{}", m.id)),
            );
            MemberSummary {
                links,
                id: m.id.clone(),
                first_name: None,
                last_name: None,
                role: m.role.clone(),
                email: m.email.clone(),
            }
        });
        let mut links = Links::new();
        links.insert(String::from("parent"), Link::json("/api/v2/tokens"));
        links.insert(
            String::from("self"),
            Link::json(format!("/api/v2/tokens/{}", t.id)),
        );
        let token = if full_secret {
            t.secret.clone()
        } else {
            last4(&t.secret).to_owned()
        };
        Token {
            id: t.id.clone(),
            owner_id: String::from(ACCOUNT_ID),
            member_id: t.member_id.clone(),
            member,
            name: t.name.clone(),
            description: t.description.clone(),
            creation_date: t.creation_date,
            last_modified: t.last_modified,
            custom_role_ids: Some(t.custom_role_ids.clone()),
            inline_role: Some(t.inline_role.clone()),
            role: t.role.clone(),
            token: Some(token.into()),
            service_token: Some(t.service_token),
            links,
            default_api_version: Some(t.default_api_version),
            last_used: t.last_used,
        }
    }
}

/// Whether `caller` may see `target` in a list (`show_all` as requested) — LaunchDarkly's
/// documented rules: everyone sees service tokens; a personal token sees its own member's
/// personal tokens; an Admin token with `showAll` sees every personal token.
pub fn visible(caller: &EmulatedToken, target: &EmulatedToken, show_all: bool) -> bool {
    target.service_token
        || (!caller.service_token && caller.member_id == target.member_id)
        || (caller.is_admin() && show_all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(member: &str, service: bool, role: &str) -> EmulatedToken {
        EmulatedToken {
            id: new_object_id(),
            member_id: member.into(),
            name: None,
            description: None,
            role: Some(role.into()),
            custom_role_ids: vec![],
            inline_role: vec![],
            service_token: service,
            default_api_version: 20240415,
            creation_date: 0,
            last_modified: 0,
            last_used: None,
            secret: new_secret(),
            previous_keys: vec![],
        }
    }

    #[test]
    fn visibility_table() {
        let me_personal = token("me", false, "reader");
        let me_admin = token("me", false, "admin");
        let svc_admin = token("me", true, "admin");
        let svc_reader = token("me", true, "reader");
        let other_personal = token("other", false, "reader");
        let other_service = token("other", true, "reader");
        let cases = [
            (
                "personal sees service",
                &me_personal,
                &other_service,
                false,
                true,
            ),
            (
                "personal sees own member's personal",
                &me_personal,
                &me_admin,
                false,
                true,
            ),
            (
                "personal does not see other's personal",
                &me_personal,
                &other_personal,
                true,
                false,
            ),
            (
                "admin without showAll",
                &me_admin,
                &other_personal,
                false,
                false,
            ),
            ("admin with showAll", &me_admin, &other_personal, true, true),
            (
                "service admin with showAll",
                &svc_admin,
                &other_personal,
                true,
                true,
            ),
            (
                "service reader never sees personal",
                &svc_reader,
                &me_personal,
                true,
                false,
            ),
        ];
        for (name, caller, target, show_all, expected) in cases {
            assert_eq!(visible(caller, target, show_all), expected, "{name}");
        }
    }

    #[test]
    fn old_key_works_until_expiry() {
        let mut t = token("me", false, "admin");
        t.previous_keys.push(PreviousKey {
            secret: "api-old".into(),
            expires_at_ms: 1000,
        });
        assert!(t.accepts("api-old", 999));
        assert!(!t.accepts("api-old", 1000));
    }

    #[test]
    fn ids_and_secrets_have_the_documented_shape() {
        let id = new_object_id();
        assert_eq!(id.len(), 24);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        let s = new_secret();
        assert_eq!(s.len(), 40);
        assert!(s.starts_with("api-"));
        assert_eq!(stable_object_id("x").len(), 24);
    }
}
