//! Resource identity (protocol 5.9, Terraform 1.12 and later): a small object that names one
//! remote object — what `import { identity = { … } }` takes and `terraform show -json`
//! prints. Identity attributes are a subset of the resource's state attributes with the same
//! names, so the engine derives the identity from the state; a resource only declares which.

use super::types::Type;
use super::value::Value;

/// One identity attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct IdentityAttribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub required_for_import: bool,
    pub optional_for_import: bool,
}

impl IdentityAttribute {
    /// An attribute `import { identity = { … } }` must set.
    pub fn required(name: &str, ty: Type, description: &str) -> Self {
        IdentityAttribute {
            name: name.to_string(),
            ty,
            description: description.to_string(),
            required_for_import: true,
            optional_for_import: false,
        }
    }
}

/// A resource type's identity schema.
#[derive(Clone, Debug, PartialEq)]
pub struct IdentitySchema {
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

impl IdentitySchema {
    /// The object type identity values are encoded as.
    pub fn implied_type(&self) -> Type {
        Type::object(
            self.attributes
                .iter()
                .map(|a| (a.name.as_str(), a.ty.clone())),
        )
    }

    /// The identity of the object `state` describes: its identity attributes, copied. `None`
    /// when there is no object, or when any identity attribute is not known yet.
    pub fn of(&self, state: &Value) -> Option<Value> {
        if state.is_null() {
            return None;
        }
        let identity = Value::object(self.attributes.iter().map(|a| {
            let v = state.get(&a.name).cloned().unwrap_or(Value::Null);
            (a.name.clone(), v)
        }));
        identity.is_wholly_known().then_some(identity)
    }

    /// The import ID an identity stands for, when the identity is one required string (the
    /// common case: `{ id = "…" }`).
    pub fn import_id(&self, identity: &Value) -> Option<String> {
        match self.attributes.as_slice() {
            [only] if only.required_for_import && only.ty == Type::String => identity
                .get(&only.name)
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_id() -> IdentitySchema {
        IdentitySchema {
            version: 0,
            attributes: vec![IdentityAttribute::required("id", Type::String, "ID.")],
        }
    }

    #[test]
    fn identity_is_copied_from_known_state_only() {
        let s = by_id();
        let state = Value::object([("id", Value::string("a1")), ("name", Value::string("n"))]);
        assert_eq!(
            s.of(&state),
            Some(Value::object([("id", Value::string("a1"))]))
        );
        let planned = Value::object([("id", Value::unknown()), ("name", Value::string("n"))]);
        assert_eq!(s.of(&planned), None, "unknown id: no identity yet");
        assert_eq!(s.of(&Value::Null), None);
        assert_eq!(s.implied_type(), Type::object([("id", Type::String)]));
    }

    #[test]
    fn a_single_required_string_is_the_import_id() {
        let s = by_id();
        let identity = Value::object([("id", Value::string("a1"))]);
        assert_eq!(s.import_id(&identity).as_deref(), Some("a1"));
        assert_eq!(s.import_id(&Value::object([("id", Value::Null)])), None);
    }
}
