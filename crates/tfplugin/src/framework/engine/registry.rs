//! The registry of kinds: each registered type with its schema, and the lookups (with the
//! diagnostic for a type name the provider does not serve).

use super::Engine;
use crate::framework::diagnostics::{Diagnostic, Diagnostics};
use crate::framework::identity::IdentitySchema;
use crate::framework::provider::{
    DataSource, EphemeralResource, ListResource, Provider, Resource, Served,
};
use crate::framework::schema::Schema;
use crate::framework::types::Type;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One registered kind (a resource or a data source): its implementation and schema,
/// with the value type the schema implies (computed once).
pub struct Kind<T: ?Sized> {
    /// The implementation.
    pub imp: Arc<T>,
    /// Its schema.
    pub schema: Schema,
    /// `schema.implied_type()`.
    pub ty: Type,
}

impl<T: ?Sized> Kind<T> {
    pub(super) fn new(imp: Arc<T>, schema: Schema) -> Self {
        let ty = schema.implied_type();
        Kind { imp, schema, ty }
    }
}

/// Full type name (`<provider>_<name>`) → kind.
pub type Registry<T> = BTreeMap<String, Kind<T>>;

/// The registry of `kinds`, each under `<prefix>_<name>`.
pub(super) fn registry<T: ?Sized + Served>(prefix: &str, kinds: Vec<Arc<T>>) -> Registry<T> {
    kinds
        .into_iter()
        .map(|k| {
            let name = format!("{prefix}_{}", k.name());
            let schema = k.schema();
            (name, Kind::new(k, schema))
        })
        .collect()
}

impl Engine {
    /// The provider block's schema and type.
    pub fn provider(&self) -> &Kind<dyn Provider> {
        &self.provider_kind
    }

    /// Every managed resource type.
    pub fn resources(&self) -> &Registry<dyn Resource> {
        &self.resources
    }

    /// Every data source type.
    pub fn data_sources(&self) -> &Registry<dyn DataSource> {
        &self.data_sources
    }

    /// Identity schemas of the resource types that declare one.
    pub fn identity_schemas(&self) -> &BTreeMap<String, IdentitySchema> {
        &self.identities
    }

    /// The identity schema of resource type `name`, if it declares one.
    pub fn identity_schema(&self, name: &str) -> Option<&IdentitySchema> {
        self.identities.get(name)
    }

    /// Every list resource type.
    pub fn list_resources(&self) -> &Registry<dyn ListResource> {
        &self.lists
    }

    /// A list resource type, or the diagnostic for an unknown one.
    pub fn list_resource(&self, name: &str) -> Result<&Kind<dyn ListResource>, Diagnostics> {
        self.lists
            .get(name)
            .ok_or_else(|| unknown_type("list resource", name))
    }

    /// Every ephemeral resource type.
    pub fn ephemeral_resources(&self) -> &Registry<dyn EphemeralResource> {
        &self.ephemeral
    }

    /// An ephemeral resource type, or the diagnostic for an unknown one.
    pub fn ephemeral_resource(
        &self,
        name: &str,
    ) -> Result<&Kind<dyn EphemeralResource>, Diagnostics> {
        self.ephemeral
            .get(name)
            .ok_or_else(|| unknown_type("ephemeral resource", name))
    }

    /// A managed resource type, or the diagnostic for an unknown one.
    pub fn resource(&self, name: &str) -> Result<&Kind<dyn Resource>, Diagnostics> {
        self.resources
            .get(name)
            .ok_or_else(|| unknown_type("resource", name))
    }

    /// A data source type, or the diagnostic for an unknown one.
    pub fn data_source(&self, name: &str) -> Result<&Kind<dyn DataSource>, Diagnostics> {
        self.data_sources
            .get(name)
            .ok_or_else(|| unknown_type("data source", name))
    }
}

/// The diagnostic for a type name the provider does not serve.
pub fn unknown_type(kind: &str, name: &str) -> Diagnostics {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} type {name:?}. Check the type name and the provider version."),
    )
    .into()
}
