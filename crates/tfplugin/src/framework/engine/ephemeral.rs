//! Ephemeral resources: validate, open (an error yields no result), renew and close.

use super::{Engine, validate};
use crate::framework::diagnostics::Diagnostics;
use crate::framework::provider::{Ctx, Opened, Renewed};
use crate::framework::value::Value;

impl Engine {
    /// Validates an ephemeral resource's configuration.
    pub async fn validate_ephemeral(&self, name: &str, config: &Value) -> Diagnostics {
        validate(self.ephemeral_resource(name), config).await
    }

    /// Opens an ephemeral resource; an error yields no result at all.
    pub async fn open_ephemeral(&self, name: &str, config: Value) -> Opened {
        let mut opened = match self.ephemeral_resource(name) {
            Ok(e) => e.imp.open(&self.ctx(), config).await,
            Err(d) => d.into(),
        };
        if opened.diagnostics.has_errors() {
            opened.result = Value::Null;
        }
        opened
    }

    /// Renews an ephemeral resource.
    pub async fn renew_ephemeral(&self, name: &str, private: Vec<u8>) -> Renewed {
        match self.ephemeral_resource(name) {
            Ok(e) => e.imp.renew(&self.ctx(), private).await,
            Err(d) => d.into(),
        }
    }

    /// Closes an ephemeral resource. Not cancellable by `Stop`: a close cut short would leave
    /// what was opened behind.
    pub async fn close_ephemeral(&self, name: &str, private: Vec<u8>) -> Diagnostics {
        match self.ephemeral_resource(name) {
            Ok(e) => e.imp.close(&Ctx::default(), private).await,
            Err(d) => d,
        }
    }
}
