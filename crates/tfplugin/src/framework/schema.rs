//! Schemas: the attributes and nested blocks of a provider, resource or data
//! source, with the flags Terraform enforces (required/optional/computed,
//! sensitive, deprecated) and the implied cty type values are encoded against.

use super::types::Type;
use std::collections::BTreeMap;

/// A versioned schema (the version drives `UpgradeResourceState`).
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    /// Markdown.
    pub description: String,
    pub deprecated: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    /// Markdown.
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    /// Why it is deprecated and what to use instead (Terraform 1.15+ shows it where a
    /// configuration refers to the value); empty when not deprecated.
    pub deprecation_message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
    Map,
    Group,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NestedBlock {
    pub type_name: String,
    pub block: Block,
    pub nesting: Nesting,
    pub min_items: i64,
    pub max_items: i64,
    /// Sent as the nested block's `deprecation_message` (with `block.deprecated`); empty
    /// when not deprecated.
    pub deprecation_message: String,
}

impl Attribute {
    fn new(name: &str, ty: Type, description: &str) -> Attribute {
        Attribute {
            name: name.to_string(),
            ty,
            description: description.to_string(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            deprecated: false,
            deprecation_message: String::new(),
        }
    }
    pub fn required(name: &str, ty: Type, description: &str) -> Attribute {
        Attribute {
            required: true,
            ..Attribute::new(name, ty, description)
        }
    }
    pub fn optional(name: &str, ty: Type, description: &str) -> Attribute {
        Attribute {
            optional: true,
            ..Attribute::new(name, ty, description)
        }
    }
    pub fn computed(name: &str, ty: Type, description: &str) -> Attribute {
        Attribute {
            computed: true,
            ..Attribute::new(name, ty, description)
        }
    }
    pub fn optional_computed(name: &str, ty: Type, description: &str) -> Attribute {
        Attribute {
            optional: true,
            computed: true,
            ..Attribute::new(name, ty, description)
        }
    }
    #[must_use]
    pub fn sensitive(mut self) -> Attribute {
        self.sensitive = true;
        self
    }
    #[must_use]
    pub fn deprecated(mut self) -> Attribute {
        self.deprecated = true;
        self
    }
    /// Deprecated, with the message Terraform 1.15+ shows.
    #[must_use]
    pub fn deprecated_because(mut self, message: &str) -> Attribute {
        self.deprecated = true;
        self.deprecation_message = message.to_string();
        self
    }
    /// Computed and not optional: Terraform sets it, a configuration never may.
    pub fn is_read_only(&self) -> bool {
        self.computed && !self.optional && !self.required
    }
}

impl NestedBlock {
    pub fn new(type_name: &str, nesting: Nesting, block: Block) -> NestedBlock {
        NestedBlock {
            type_name: type_name.to_string(),
            block,
            nesting,
            min_items: 0,
            max_items: 0,
            deprecation_message: String::new(),
        }
    }
    /// Deprecated, with the message Terraform 1.15+ shows.
    #[must_use]
    pub fn deprecated_because(mut self, message: &str) -> NestedBlock {
        self.block.deprecated = true;
        self.deprecation_message = message.to_string();
        self
    }
}

impl Block {
    /// The object type every value of this block is encoded as.
    pub fn implied_type(&self) -> Type {
        let mut attrs: BTreeMap<String, Type> = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.ty.clone()))
            .collect();
        for b in &self.blocks {
            let obj = b.block.implied_type();
            let t = match b.nesting {
                Nesting::Single | Nesting::Group => obj,
                Nesting::List => Type::list(obj),
                Nesting::Set => Type::set(obj),
                Nesting::Map => Type::map(obj),
            };
            attrs.insert(b.type_name.clone(), t);
        }
        Type::Object(attrs)
    }
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

impl Schema {
    pub fn implied_type(&self) -> Type {
        self.block.implied_type()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implied_type_includes_blocks() {
        let b = Block {
            attributes: vec![Attribute::required("name", Type::String, "")],
            blocks: vec![NestedBlock::new(
                "rule",
                Nesting::List,
                Block {
                    attributes: vec![Attribute::optional("x", Type::Number, "")],
                    ..Block::default()
                },
            )],
            ..Block::default()
        };
        assert_eq!(
            b.implied_type(),
            Type::object([
                ("name", Type::String),
                ("rule", Type::list(Type::object([("x", Type::Number)])))
            ])
        );
    }
}
