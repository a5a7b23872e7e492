//! Custom role key ↔ ID mapping. Users write role keys; the API stores IDs.
//! Lookups go through `GET /api/v2/roles/{keyOrId}` once per role per
//! process (decision 15) and are cached here.

use crate::client::{Client, Error};
use crate::models::CustomRole;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct RoleCache {
    by_key_or_id: Mutex<HashMap<String, CustomRole>>,
}

impl RoleCache {
    async fn lookup(&self, client: &Client, key_or_id: &str) -> Result<CustomRole, Error> {
        if let Some(r) = self
            .by_key_or_id
            .lock()
            .ok()
            .and_then(|m| m.get(key_or_id).cloned())
        {
            return Ok(r);
        }
        let role = client.get_custom_role(key_or_id).await?;
        if let Ok(mut m) = self.by_key_or_id.lock() {
            m.insert(role.key.clone(), role.clone());
            m.insert(role.id.clone(), role.clone());
        }
        Ok(role)
    }

    /// Role keys (or IDs) → IDs, in order.
    pub async fn ids(&self, client: &Client, keys: &[String]) -> Result<Vec<String>, Error> {
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            out.push(self.lookup(client, k).await?.id);
        }
        Ok(out)
    }

    /// Role IDs → keys.
    pub async fn keys(&self, client: &Client, ids: &[String]) -> Result<Vec<String>, Error> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.lookup(client, id).await?.key);
        }
        Ok(out)
    }
}
