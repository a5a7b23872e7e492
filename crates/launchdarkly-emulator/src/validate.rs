//! Strict validation of request bodies, stricter than LaunchDarkly documents (where the docs
//! are silent the emulator rejects, so provider bugs show up in tests): unknown fields, wrong
//! types (including `null`), a role outside reader/writer/admin, not exactly one of
//! role/customRoleIds/inlineRole, statements without exactly one of resources/notResources
//! and of actions/notActions, an `effect` other than allow/deny, an unknown
//! `defaultApiVersion`. Messages name the JSON path.

use serde_json::{Map, Value};

use crate::models::KNOWN_API_VERSIONS;

/// Fields a create body may have.
const POST_FIELDS: [&str; 7] = [
    "name",
    "description",
    "role",
    "customRoleIds",
    "inlineRole",
    "serviceToken",
    "defaultApiVersion",
];

/// Fields a PATCH may change (top-level JSON Pointer segment).
pub const PATCHABLE_FIELDS: [&str; 5] =
    ["name", "description", "role", "customRoleIds", "inlineRole"];

const STATEMENT_FIELDS: [&str; 5] = [
    "resources",
    "notResources",
    "actions",
    "notActions",
    "effect",
];

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("{path}: expected an object"))
}

fn no_unknown(obj: &Map<String, Value>, allowed: &[&str], path: &str) -> Result<(), String> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("{}: unknown field `{k}`", join(path, k))),
        None => Ok(()),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn string_array(v: &Value, path: &str) -> Result<usize, String> {
    let items = v
        .as_array()
        .ok_or_else(|| format!("{path}: expected an array of strings"))?;
    for (i, item) in items.iter().enumerate() {
        if !item.is_string() {
            return Err(format!("{path}[{i}]: expected a string"));
        }
    }
    Ok(items.len())
}

/// Validates one policy statement.
pub fn statement(v: &Value, path: &str) -> Result<(), String> {
    let obj = object(v, path)?;
    no_unknown(obj, &STATEMENT_FIELDS, path)?;
    let mut counts = [0usize; 4];
    for (i, key) in STATEMENT_FIELDS[..4].iter().enumerate() {
        if let Some(val) = obj.get(*key) {
            counts[i] = string_array(val, &join(path, key))?;
        }
    }
    match obj.get("effect") {
        None => return Err(format!("{}: required", join(path, "effect"))),
        Some(Value::String(s)) if s == "allow" || s == "deny" => {}
        Some(_) => {
            return Err(format!(
                "{}: must be \"allow\" or \"deny\"",
                join(path, "effect")
            ));
        }
    }
    if (counts[0] > 0) == (counts[1] > 0) {
        return Err(format!(
            "{path}: exactly one of `resources` and `notResources` must be non-empty"
        ));
    }
    if (counts[2] > 0) == (counts[3] > 0) {
        return Err(format!(
            "{path}: exactly one of `actions` and `notActions` must be non-empty"
        ));
    }
    Ok(())
}

/// Validates the token fields present in `obj` (create body or patched document) and
/// checks that exactly one of role/customRoleIds/inlineRole is set.
fn token_fields(obj: &Map<String, Value>) -> Result<(), String> {
    for key in ["name", "description"] {
        if let Some(v) = obj.get(key) {
            if !v.is_string() {
                return Err(format!("{key}: expected a string"));
            }
        }
    }
    let mut access = Vec::new();
    if let Some(v) = obj.get("role") {
        match v.as_str() {
            Some("reader" | "writer" | "admin") => access.push("role"),
            Some(other) => {
                return Err(format!(
                    "role: {other:?} is not one of \"reader\", \"writer\", \"admin\""
                ));
            }
            None => return Err(String::from("role: expected a string")),
        }
    }
    if let Some(v) = obj.get("customRoleIds") {
        if string_array(v, "customRoleIds")? > 0 {
            access.push("customRoleIds");
        }
    }
    if let Some(v) = obj.get("inlineRole") {
        let items = v
            .as_array()
            .ok_or_else(|| String::from("inlineRole: expected an array of statements"))?;
        for (i, s) in items.iter().enumerate() {
            statement(s, &format!("inlineRole[{i}]"))?;
        }
        if !items.is_empty() {
            access.push("inlineRole");
        }
    }
    match access.len() {
        1 => Ok(()),
        0 => Err(String::from(
            "one of `role`, `customRoleIds` or `inlineRole` is required",
        )),
        _ => Err(format!(
            "only one of `role`, `customRoleIds` and `inlineRole` may be set (got {})",
            access.join(", ")
        )),
    }
}

/// Validates a `POST /api/v2/tokens` body.
pub fn access_token_post(v: &Value) -> Result<(), String> {
    let obj = object(v, "body")?;
    no_unknown(obj, &POST_FIELDS, "")?;
    if let Some(v) = obj.get("serviceToken") {
        if !v.is_boolean() {
            return Err(String::from("serviceToken: expected a boolean"));
        }
    }
    if let Some(v) = obj.get("defaultApiVersion") {
        match v.as_i64() {
            Some(n) if KNOWN_API_VERSIONS.contains(&n) => {}
            Some(n) => return Err(format!("defaultApiVersion: {n} is not a known API version")),
            None => return Err(String::from("defaultApiVersion: expected an integer")),
        }
    }
    token_fields(obj)
}

/// Validates the patchable document after a patch was applied.
pub fn patched_document(v: &Value) -> Result<(), String> {
    let obj = object(v, "token")?;
    no_unknown(obj, &PATCHABLE_FIELDS, "")?;
    token_fields(obj)
}

/// Validates a JSON Patch array's shape (not its effect) and that it only touches
/// patchable fields. Returns the operations with top-level `replace` of absent fields
/// turned into `add` (LaunchDarkly sets an absent field on `replace`).
pub fn patch_ops(ops: &Value, doc: &Value) -> Result<Value, String> {
    let items = ops
        .as_array()
        .ok_or_else(|| String::from("body: expected a JSON Patch array"))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, op) in items.iter().enumerate() {
        let path = format!("[{i}]");
        let obj = object(op, &path)?;
        no_unknown(obj, &["op", "path", "value", "from"], &path)?;
        let kind = obj
            .get("op")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{path}.op: required string"))?;
        if !["add", "remove", "replace", "move", "copy", "test"].contains(&kind) {
            return Err(format!("{path}.op: unknown operation {kind:?}"));
        }
        let pointer = obj
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{path}.path: required string"))?;
        patchable(pointer, &format!("{path}.path"))?;
        if matches!(kind, "add" | "replace" | "test") && !obj.contains_key("value") {
            return Err(format!("{path}.value: required for {kind}"));
        }
        if matches!(kind, "move" | "copy") {
            let from = obj
                .get("from")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{path}.from: required string for {kind}"))?;
            patchable(from, &format!("{path}.from"))?;
        }
        let mut op = op.clone();
        let top_level_absent = pointer.matches('/').count() == 1 && doc.pointer(pointer).is_none();
        if kind == "replace" && top_level_absent {
            if let Some(o) = op.as_object_mut() {
                o.insert(String::from("op"), Value::from("add"));
            }
        }
        out.push(op);
    }
    Ok(Value::Array(out))
}

fn patchable(pointer: &str, at: &str) -> Result<(), String> {
    let first = pointer
        .strip_prefix('/')
        .and_then(|p| p.split('/').next())
        .ok_or_else(|| format!("{at}: {pointer:?} is not a JSON Pointer"))?;
    if PATCHABLE_FIELDS.contains(&first) {
        Ok(())
    } else {
        Err(format!("{at}: /{first} cannot be changed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn create_body_table() {
        let stmt = json!({"effect": "allow", "actions": ["*"], "resources": ["proj/*"]});
        let cases = [
            ("role only", json!({"role": "reader"}), true),
            (
                "custom roles only",
                json!({"customRoleIds": ["x"], "name": "n"}),
                true,
            ),
            (
                "inline only",
                json!({"inlineRole": [stmt.clone()], "serviceToken": true}),
                true,
            ),
            ("unknown field", json!({"role": "reader", "rol": 1}), false),
            ("wrong type", json!({"role": "reader", "name": 5}), false),
            (
                "null",
                json!({"role": "reader", "description": null}),
                false,
            ),
            ("owner role", json!({"role": "owner"}), false),
            (
                "two access kinds",
                json!({"role": "reader", "customRoleIds": ["x"]}),
                false,
            ),
            ("no access kind", json!({"name": "x"}), false),
            (
                "empty lists count as unset",
                json!({"role": "admin", "customRoleIds": [], "inlineRole": []}),
                true,
            ),
            (
                "bad api version",
                json!({"role": "reader", "defaultApiVersion": 20230101}),
                false,
            ),
            (
                "string api version",
                json!({"role": "reader", "defaultApiVersion": "20240415"}),
                false,
            ),
            ("not an object", json!(["role"]), false),
            (
                "bad effect",
                json!({"inlineRole": [{"effect": "maybe", "actions": ["*"], "resources": ["a"]}]}),
                false,
            ),
            (
                "missing effect",
                json!({"inlineRole": [{"actions": ["*"], "resources": ["a"]}]}),
                false,
            ),
            (
                "resources and notResources",
                json!({"inlineRole": [{"effect": "deny", "actions": ["*"], "resources": ["a"], "notResources": ["b"]}]}),
                false,
            ),
            (
                "neither resources",
                json!({"inlineRole": [{"effect": "deny", "actions": ["*"]}]}),
                false,
            ),
            (
                "notActions alone ok",
                json!({"inlineRole": [{"effect": "deny", "notActions": ["*"], "notResources": ["b"]}]}),
                true,
            ),
        ];
        for (name, body, ok) in cases {
            let got = access_token_post(&body);
            assert_eq!(got.is_ok(), ok, "{name}: {got:?}");
        }
    }

    #[test]
    fn errors_name_the_path() {
        let body = json!({"inlineRole": [{"effect": "allow", "actions": [1], "resources": ["a"]}]});
        assert_eq!(
            access_token_post(&body).err().as_deref(),
            Some("inlineRole[0].actions[0]: expected a string")
        );
    }

    #[test]
    fn patch_ops_only_touch_patchable_fields_and_replace_absent_becomes_add() {
        let doc = json!({"role": "reader"});
        let ops = json!([{"op": "replace", "path": "/inlineRole", "value": []}, {"op": "replace", "path": "/role", "value": "writer"}]);
        let out = patch_ops(&ops, &doc).expect("valid");
        assert_eq!(out[0]["op"], "add");
        assert_eq!(out[1]["op"], "replace");
        for bad in [
            json!([{"op": "replace", "path": "/serviceToken", "value": true}]),
            json!([{"op": "replace", "path": "/_id", "value": "x"}]),
            json!([{"op": "replace", "path": "/name"}]),
            json!([{"op": "frobnicate", "path": "/name"}]),
            json!([{"op": "copy", "path": "/name", "from": "/token"}]),
            json!({"op": "replace"}),
        ] {
            assert!(patch_ops(&bad, &doc).is_err(), "{bad}");
        }
    }
}
