//! The data sources backed by LaunchDarkly's token endpoints:
//! `launchdarkly_access_tokens` (the whole list, filtered client-side) and
//! `launchdarkly_access_token` (one token by `id` or unique `name`). Neither
//! ever sees a full secret: the API only returns the last four characters
//! outside create and reset, and `model` keeps no more than that.

pub mod fetch;
pub mod filter;
pub mod model;
pub mod schema;
mod token;
mod tokens;

pub use token::AccessTokenLookup;
pub use tokens::AccessTokens;

use crate::framework::{Ctx, DataSource, Diagnostic};
use crate::models::Token;
use crate::provider::Shared;
use crate::provider::diagnostics::api_error;
use std::sync::Arc;

/// Both data sources, sharing the provider's state.
pub fn all(shared: &Arc<Shared>) -> Vec<Arc<dyn DataSource>> {
    vec![
        Arc::new(AccessTokens::new(shared.clone())),
        Arc::new(AccessTokenLookup::new(shared.clone())),
    ]
}

/// Pages fetched at once: the provider's `max_concurrency` (the limiter it
/// configures bounds every request anyway), at most `MAX_PAGE_CONCURRENCY`.
pub(crate) fn page_concurrency(shared: &Shared) -> usize {
    shared
        .settings
        .read()
        .ok()
        .and_then(|s| s.as_ref().map(|s| s.max_concurrency))
        .unwrap_or(1)
        .clamp(1, fetch::MAX_PAGE_CONCURRENCY)
}

/// Every visible token (sorted, no repeats), or the diagnostic saying why not.
/// Stops early with an error when Terraform cancels the operation.
pub(crate) async fn list_tokens(
    ctx: &Ctx,
    shared: &Shared,
    show_all: bool,
) -> Result<Vec<Token>, Diagnostic> {
    let client = shared.client()?;
    let read = fetch::read_all(&client, show_all, page_concurrency(shared));
    let mut tokens = ctx
        .or_cancelled(read)
        .await
        .ok_or_else(crate::framework::provider::cancelled_diagnostic)?
        .map_err(|e| api_error("list access tokens", &e))?;
    model::sort_dedup(&mut tokens);
    Ok(tokens)
}
