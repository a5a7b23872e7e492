//! `GET /api/v2/tokens`: visibility (`showAll`), `limit`/`offset` pagination with its links,
//! and the unpaginated list of API versions before 20240415.

use axum::extract::RawQuery;
use axum::http::StatusCode;

use super::{Api, ApiResult, int_param, query_pairs};
use crate::models::{API_VERSION, Link, Links, Tokens};
use crate::respond::{self, ApiError};
use crate::shared::lock;
use crate::store::EmulatedToken;

/// Largest `limit` accepted (LaunchDarkly documents none; the emulator picks one).
pub const MAX_LIMIT: u64 = 1000;

fn render_page_links(limit: u64, offset: u64, total: u64, show_all: bool) -> Links {
    let href = |off: u64| {
        let mut s = format!("/api/v2/tokens?limit={limit}&offset={off}");
        if show_all {
            s.push_str("&showAll=true");
        }
        Link::json(s)
    };
    let mut links = Links::new();
    links.insert("self".into(), href(offset));
    links.insert("first".into(), href(0));
    let last = if total == 0 {
        0
    } else {
        (total - 1) / limit * limit
    };
    links.insert("last".into(), href(last));
    if offset > 0 {
        links.insert("prev".into(), href(offset.saturating_sub(limit)));
    }
    if offset.saturating_add(limit) < total {
        links.insert("next".into(), href(offset + limit));
    }
    links
}

/// `GET /api/v2/tokens`
pub async fn list(api: Api, RawQuery(raw): RawQuery) -> ApiResult {
    let (_, store, me) = api.caller()?;
    if let Some(bytes) = lock(&api.shared.faults).take_oversized_list() {
        return Ok(respond::oversized_json(bytes));
    }
    let pairs = query_pairs(raw.as_deref());
    let show_all = match pairs
        .iter()
        .find(|(k, _)| k == "showAll")
        .map(|(_, v)| v.as_str())
    {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "showAll: expected true or false, got {other:?}"
            )));
        }
    };
    let limit = int_param(&pairs, "limit")?.unwrap_or(25);
    let offset = int_param(&pairs, "offset")?.unwrap_or(0);
    let limit = u64::try_from(limit)
        .ok()
        .filter(|l| (1..=MAX_LIMIT).contains(l))
        .ok_or_else(|| ApiError::invalid(format!("limit: must be between 1 and {MAX_LIMIT}")))?;
    let offset =
        u64::try_from(offset).map_err(|_| ApiError::invalid("offset: must not be negative"))?;
    let visible: Vec<&EmulatedToken> = store
        .tokens
        .iter()
        .filter(|t| crate::store::visible(&me, t, show_all))
        .collect();
    let total = u64::try_from(visible.len()).unwrap_or(u64::MAX);
    // Before API version 20240415 the list was not paginated.
    let version = api
        .headers
        .get("LD-API-Version")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(if api.headers.contains_key("LD-API-Version") {
            API_VERSION
        } else {
            me.default_api_version
        });
    let (items, links) = if version < API_VERSION {
        (
            visible.iter().map(|t| store.render(t, false)).collect(),
            Links::new(),
        )
    } else {
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        (
            visible
                .iter()
                .skip(start)
                .take(take)
                .map(|t| store.render(t, false))
                .collect(),
            render_page_links(limit, offset, total, show_all),
        )
    };
    let page = Tokens {
        items,
        links: Some(links),
        total_count: Some(i64::try_from(total).unwrap_or(i64::MAX)),
    };
    Ok(respond::json(StatusCode::OK, &page))
}
