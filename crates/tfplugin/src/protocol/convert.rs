//! Conversions between framework types and tfplugin5 messages, in one place:
//! schemas, diagnostics, attribute paths, raw state and `DynamicValue`s. Every function
//! here is total: bad input becomes a diagnostic, never a panic.

use super::proto::tfplugin5 as pb;
use crate::framework::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::framework::engine::RawState;
use crate::framework::identity::IdentitySchema;
use crate::framework::path::{AttributePath, Step};
use crate::framework::schema::{Attribute, Block, NestedBlock, Nesting, Schema};
use crate::framework::types::Type;
use crate::framework::value::Value;
use crate::framework::{json, msgpack};

impl From<&Schema> for pb::Schema {
    fn from(s: &Schema) -> pb::Schema {
        pb::Schema {
            version: s.version,
            block: Some((&s.block).into()),
        }
    }
}

impl From<&Block> for pb::schema::Block {
    fn from(b: &Block) -> pb::schema::Block {
        pb::schema::Block {
            version: 0,
            attributes: b.attributes.iter().map(Into::into).collect(),
            block_types: b.blocks.iter().map(Into::into).collect(),
            description: b.description.clone(),
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: b.deprecated,
            deprecation_message: String::new(),
        }
    }
}

impl From<&Attribute> for pb::schema::Attribute {
    fn from(a: &Attribute) -> pb::schema::Attribute {
        pb::schema::Attribute {
            name: a.name.clone(),
            r#type: a.ty.to_json_bytes(),
            description: a.description.clone(),
            required: a.required,
            optional: a.optional,
            computed: a.computed,
            sensitive: a.sensitive,
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: a.deprecated,
            write_only: false,
            deprecation_message: if a.deprecated {
                a.deprecation_message.clone()
            } else {
                String::new()
            },
        }
    }
}

impl From<&NestedBlock> for pb::schema::NestedBlock {
    fn from(n: &NestedBlock) -> pb::schema::NestedBlock {
        use pb::schema::nested_block::NestingMode as M;
        let nesting = match n.nesting {
            Nesting::Single => M::Single,
            Nesting::List => M::List,
            Nesting::Set => M::Set,
            Nesting::Map => M::Map,
            Nesting::Group => M::Group,
        };
        let mut block = pb::schema::Block::from(&n.block);
        if n.block.deprecated {
            block.deprecation_message = n.deprecation_message.clone();
        }
        pb::schema::NestedBlock {
            type_name: n.type_name.clone(),
            block: Some(block),
            nesting: nesting as i32,
            min_items: n.min_items,
            max_items: n.max_items,
        }
    }
}

impl From<&IdentitySchema> for pb::ResourceIdentitySchema {
    fn from(i: &IdentitySchema) -> pb::ResourceIdentitySchema {
        pb::ResourceIdentitySchema {
            version: i.version,
            identity_attributes: i
                .attributes
                .iter()
                .map(|a| pb::resource_identity_schema::IdentityAttribute {
                    name: a.name.clone(),
                    r#type: a.ty.to_json_bytes(),
                    required_for_import: a.required_for_import,
                    optional_for_import: a.optional_for_import,
                    description: a.description.clone(),
                })
                .collect(),
        }
    }
}

impl From<&AttributePath> for pb::AttributePath {
    fn from(p: &AttributePath) -> pb::AttributePath {
        use pb::attribute_path::step::Selector;
        pb::AttributePath {
            steps: p
                .steps()
                .iter()
                .map(|s| pb::attribute_path::Step {
                    selector: Some(match s {
                        Step::Attribute(a) => Selector::AttributeName(a.clone()),
                        Step::ElementKeyString(k) => Selector::ElementKeyString(k.clone()),
                        Step::ElementKeyInt(i) => Selector::ElementKeyInt(*i),
                    }),
                })
                .collect(),
        }
    }
}

impl From<&pb::AttributePath> for AttributePath {
    fn from(p: &pb::AttributePath) -> AttributePath {
        use pb::attribute_path::step::Selector;
        AttributePath::from_steps(
            p.steps
                .iter()
                .filter_map(|s| {
                    Some(match s.selector.as_ref()? {
                        Selector::AttributeName(a) => Step::Attribute(a.clone()),
                        Selector::ElementKeyString(k) => Step::ElementKeyString(k.clone()),
                        Selector::ElementKeyInt(i) => Step::ElementKeyInt(*i),
                    })
                })
                .collect(),
        )
    }
}

/// Stored state (or identity) as Terraform sent it; absent, it is empty.
impl From<Option<pb::RawState>> for RawState {
    fn from(raw: Option<pb::RawState>) -> RawState {
        let raw = raw.unwrap_or_default();
        RawState {
            flatmap: !raw.flatmap.is_empty(),
            json: raw.json,
        }
    }
}

impl From<&Diagnostic> for pb::Diagnostic {
    fn from(d: &Diagnostic) -> pb::Diagnostic {
        let severity = match d.severity {
            Severity::Error => pb::diagnostic::Severity::Error,
            Severity::Warning => pb::diagnostic::Severity::Warning,
        };
        pb::Diagnostic {
            severity: severity as i32,
            summary: d.summary.clone(),
            detail: d.detail.clone(),
            attribute: d.path.as_ref().map(Into::into),
        }
    }
}

/// Diagnostics as protobuf messages.
pub fn diagnostics(d: &Diagnostics) -> Vec<pb::Diagnostic> {
    d.iter().map(Into::into).collect()
}

/// Decodes a request's `DynamicValue` against `ty`: msgpack if present, else
/// JSON, else null (Terraform's own rule).
pub fn decode_value(
    dv: Option<&pb::DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, Diagnostic> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    let res = if !dv.msgpack.is_empty() {
        msgpack::decode(&dv.msgpack, ty)
    } else if !dv.json.is_empty() {
        json::decode(&dv.json, ty, json::ObjectMode::Strict)
    } else {
        Ok(Value::Null)
    };
    res.map_err(|e| {
        Diagnostic::error(
            format!("Invalid {what} sent by Terraform"),
            format!("The provider could not decode the {what}: {e}. This is a bug in Terraform or the provider; please report it."),
        )
    })
}

/// Encodes a response value as msgpack.
pub fn encode_value(v: &Value, ty: &Type, what: &str) -> Result<pb::DynamicValue, Diagnostic> {
    msgpack::encode(v, ty).map(|msgpack| pb::DynamicValue { msgpack, json: vec![] }).map_err(|e| {
        Diagnostic::error(
            format!("Provider produced an invalid {what}"),
            format!("The provider could not encode the {what}: {e}. This is a bug in the provider; please report it."),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        let p = AttributePath::attr("inline_roles")
            .at_index(2)
            .at_attr("tags")
            .at_key("k");
        let back: AttributePath = (&pb::AttributePath::from(&p)).into();
        assert_eq!(back, p);
    }

    #[test]
    fn diagnostics_keep_severity_and_path() {
        let d = Diagnostic::warning("s", "d").at(AttributePath::attr("x"));
        let p = pb::Diagnostic::from(&d);
        assert_eq!(p.severity, pb::diagnostic::Severity::Warning as i32);
        assert_eq!(p.attribute.map(|a| a.steps.len()), Some(1));
    }

    #[test]
    fn empty_dynamic_value_is_null() {
        let dv = pb::DynamicValue::default();
        assert_eq!(
            decode_value(Some(&dv), &Type::String, "config").unwrap(),
            Value::Null
        );
    }
}
