//! Data sources: validation, and a read whose error yields no state at all.

use super::{Engine, unless_errors, validate};
use crate::framework::diagnostics::Diagnostics;
use crate::framework::value::Value;

impl Engine {
    /// Validates a data source's configuration.
    pub async fn validate_data_source(&self, name: &str, config: &Value) -> Diagnostics {
        validate(self.data_source(name), config).await
    }

    /// Reads a data source; an error yields no state at all (never a partial object).
    pub async fn read_data_source(
        &self,
        name: &str,
        config: Value,
    ) -> (Option<Value>, Diagnostics) {
        match self.data_source(name) {
            Ok(ds) => unless_errors(ds.imp.read(&self.ctx(), config).await),
            Err(d) => (None, d),
        }
    }
}
