//! List resources (`terraform query`): validation, and results paired with the identity the
//! managed resource of the same name derives from them.

use super::{Engine, unknown_type, validate};
use crate::framework::diagnostics::Diagnostics;
use crate::framework::provider::{ListItem, ListRequest};
use crate::framework::value::Value;

/// One `terraform query` result: the object's identity, its display name, and its state
/// when Terraform asked for it.
#[derive(Clone, Debug)]
pub struct Listed {
    pub identity: Value,
    pub display_name: String,
    pub object: Option<Value>,
}

impl Engine {
    /// Validates a list resource's `config` block.
    pub async fn validate_list(&self, name: &str, config: &Value) -> Diagnostics {
        validate(self.list_resource(name), config).await
    }

    /// Lists objects for `terraform query`: at most `limit`, each with the identity the
    /// managed resource of the same name derives from it. A list resource without such a
    /// managed resource (with an identity) is a provider bug, reported as an error.
    pub async fn list(&self, name: &str, req: ListRequest) -> (Vec<Listed>, Diagnostics) {
        let l = match self.list_resource(name) {
            Ok(l) => l,
            Err(d) => return (vec![], d),
        };
        let Some(identity) = self.identity_schema(name) else {
            return (vec![], unknown_type("resource identity", name));
        };
        let limit = usize::try_from(req.limit.max(0)).unwrap_or(usize::MAX);
        let include = req.include_resource_object;
        let (items, mut d): (Vec<ListItem>, Diagnostics) = l.imp.list(&self.ctx(), req).await;
        let mut out = Vec::new();
        for item in items.into_iter().take(limit) {
            match identity.of(&item.object) {
                Some(id) => out.push(Listed {
                    identity: id,
                    display_name: item.display_name,
                    object: include.then_some(item.object),
                }),
                None => d.error(
                    "List result without an identity",
                    format!(
                        "A {name} result ({:?}) has no complete identity; it was skipped.",
                        item.display_name
                    ),
                ),
            }
        }
        (out, d)
    }
}
