//! Custom role key ↔ ID mapping. Users write role keys (or IDs); the API stores IDs.
//! Each key or ID is looked up through `GET /api/v2/roles/{keyOrId}` at most once per
//! provider process (decision 15): concurrent callers wait for the first lookup, and the
//! answer — the role, or LaunchDarkly's 404 — is kept for plan, create, update and read
//! alike. Failures that are not answers (timeouts, 5xx) are not kept, so a later call retries.

use crate::client::{Client, Error};
use crate::models::CustomRole;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Why a key or ID could not be mapped.
#[derive(Debug)]
pub enum RoleError {
    /// LaunchDarkly has no custom role with this key or ID (404).
    Missing(String),
    /// The lookup itself failed.
    Api(Error),
}

type Cell = Arc<OnceCell<Option<CustomRole>>>;

#[derive(Default)]
pub struct RoleCache {
    by_key_or_id: Mutex<HashMap<String, Cell>>,
}

impl RoleCache {
    fn cell(&self, key_or_id: &str) -> Cell {
        match self.by_key_or_id.lock() {
            Ok(mut m) => m.entry(key_or_id.to_string()).or_default().clone(),
            Err(_) => Cell::default(),
        }
    }

    /// The role `key_or_id` names, or `None` when LaunchDarkly has none.
    pub async fn find(
        &self,
        client: &Client,
        key_or_id: &str,
    ) -> Result<Option<CustomRole>, Error> {
        let cell = self.cell(key_or_id);
        let found = cell
            .get_or_try_init(|| async {
                match client.get_custom_role(key_or_id).await {
                    Ok(r) => Ok(Some(r)),
                    Err(e) if e.is_not_found() => Ok(None),
                    Err(e) => Err(e),
                }
            })
            .await?
            .clone();
        if let Some(role) = &found {
            // The other spelling (ID for a key, key for an ID) needs no request of its own.
            for alias in [&role.id, &role.key] {
                let _ = self.cell(alias).set(Some(role.clone()));
            }
        }
        Ok(found)
    }

    async fn lookup(&self, client: &Client, key_or_id: &str) -> Result<CustomRole, RoleError> {
        match self.find(client, key_or_id).await {
            Ok(Some(r)) => Ok(r),
            Ok(None) => Err(RoleError::Missing(key_or_id.to_string())),
            Err(e) => Err(RoleError::Api(e)),
        }
    }

    /// Role keys (or IDs) → IDs, in order, without repeats.
    pub async fn ids(&self, client: &Client, keys: &[String]) -> Result<Vec<String>, RoleError> {
        let mut out: Vec<String> = Vec::with_capacity(keys.len());
        for k in keys {
            let id = self.lookup(client, k).await?.id;
            if !out.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Role IDs → keys, in order.
    pub async fn keys(&self, client: &Client, ids: &[String]) -> Result<Vec<String>, RoleError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.lookup(client, id).await?.key);
        }
        Ok(out)
    }
}
