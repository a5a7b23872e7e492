//! A small validator for the subset of OpenAPI 3 / JSON Schema used by
//! `tests/openapi/ld-access-tokens.openapi.json`: `$ref`, `type`, `required`, `properties`,
//! `items`, `enum`, `additionalProperties`. Objects whose schema lists `properties` and says
//! nothing about `additionalProperties` are treated as closed ("strict"), so a misspelt
//! field fails the test; the error representations' `id` field (documented in prose, not in
//! the schemas) is the one allowed extra.

use serde_json::Value;

/// The loaded spec.
pub struct OpenApi {
    doc: Value,
}

impl OpenApi {
    /// Loads the copy kept under `tests/openapi/`.
    pub fn load() -> Self {
        let text = include_str!("../openapi/ld-access-tokens.openapi.json");
        OpenApi {
            doc: serde_json::from_str(text).expect("the OpenAPI file is valid JSON"),
        }
    }

    fn operation(&self, path: &str, method: &str) -> Option<&Value> {
        self.doc
            .get("paths")?
            .get(path)?
            .get(method.to_ascii_lowercase())
    }

    /// Statuses the spec documents for an operation.
    pub fn documented_statuses(&self, path: &str, method: &str) -> Vec<u16> {
        self.operation(path, method)
            .and_then(|o| o.get("responses"))
            .and_then(Value::as_object)
            .map(|r| r.keys().filter_map(|k| k.parse().ok()).collect())
            .unwrap_or_default()
    }

    /// The response schema for `status`, if the spec gives one with a body.
    pub fn response_schema(&self, path: &str, method: &str, status: u16) -> Option<&Value> {
        self.operation(path, method)?
            .get("responses")?
            .get(status.to_string())?
            .get("content")?
            .get("application/json")?
            .get("schema")
    }

    /// The request body schema.
    pub fn request_schema(&self, path: &str, method: &str) -> Option<&Value> {
        self.operation(path, method)?
            .get("requestBody")?
            .get("content")?
            .get("application/json")?
            .get("schema")
    }

    /// A named component schema, as a `$ref` value.
    pub fn component(&self, name: &str) -> Value {
        serde_json::json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    /// Validates `value` against `schema`; returns every problem with its JSON path.
    pub fn validate(&self, schema: &Value, value: &Value) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        self.check(schema, value, "$", &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> (&'a Value, bool) {
        let mut s = schema;
        let mut is_error_rep = false;
        for _ in 0..16 {
            match s.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    is_error_rep = r.ends_with("ErrorRep");
                    let pointer = r.trim_start_matches('#');
                    match self.doc.pointer(pointer) {
                        Some(t) => s = t,
                        None => return (&Value::Null, false),
                    }
                }
                None => break,
            }
        }
        (s, is_error_rep)
    }

    fn check(&self, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
        if schema.get("$ref").is_some() && self.resolve(schema).0.is_null() {
            errors.push(format!("{path}: unresolvable $ref {schema}"));
            return;
        }
        let (schema, is_error_rep) = self.resolve(schema);
        if let Some(t) = schema.get("type").and_then(Value::as_str) {
            let ok = match t {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                _ => true,
            };
            if !ok {
                errors.push(format!("{path}: expected {t}, got {value}"));
                return;
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                errors.push(format!("{path}: {value} is not one of {allowed:?}"));
            }
        }
        if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
            for (i, v) in arr.iter().enumerate() {
                self.check(items, v, &format!("{path}[{i}]"), errors);
            }
        }
        if let Some(obj) = value.as_object() {
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for r in required.iter().filter_map(Value::as_str) {
                    if !obj.contains_key(r) {
                        errors.push(format!("{path}: missing required property `{r}`"));
                    }
                }
            }
            let props = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties");
            for (k, v) in obj {
                let child = format!("{path}.{k}");
                match props.and_then(|p| p.get(k)) {
                    Some(s) => self.check(s, v, &child, errors),
                    None => match additional {
                        Some(Value::Bool(false)) => errors.push(format!("{child}: not allowed")),
                        Some(Value::Bool(true)) => {}
                        Some(s) => self.check(s, v, &child, errors),
                        None if props.is_some() && !(is_error_rep && k == "id") => {
                            errors.push(format!("{child}: not in the schema (strict mode)"))
                        }
                        None => {}
                    },
                }
            }
        }
    }
}
