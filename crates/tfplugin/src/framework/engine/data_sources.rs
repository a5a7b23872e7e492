//! Data sources: validation, and a read whose error yields no state at all.

use super::{Engine, with_read_only};
use crate::framework::diagnostics::Diagnostics;
use crate::framework::value::Value;

impl Engine {
    /// Validates a data source's configuration.
    pub async fn validate_data_source(&self, name: &str, config: &Value) -> Diagnostics {
        match self.data_source(name) {
            Ok(d) => with_read_only(&d.schema, config, d.imp.validate(config).await),
            Err(d) => d,
        }
    }

    /// Reads a data source; an error yields no state at all (never a partial object).
    pub async fn read_data_source(
        &self,
        name: &str,
        config: Value,
    ) -> (Option<Value>, Diagnostics) {
        let ds = match self.data_source(name) {
            Ok(d) => d,
            Err(d) => return (None, d),
        };
        let (state, d) = ds.imp.read(&self.ctx(), config).await;
        if d.has_errors() {
            (None, d)
        } else {
            (Some(state), d)
        }
    }
}
