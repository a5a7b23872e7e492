//! List-backed refresh (issue 11, item 1): one snapshot of `GET /api/v2/tokens` per provider
//! process, shared by every `ReadResource` of `launchdarkly_access_token`, so a no-change plan
//! over many tokens costs page requests instead of one GET per token.
//!
//! # When pages are read: a request budget
//!
//! The provider never learns how many tokens (N) the configuration manages: `ReadResource`
//! calls arrive one by one, at most Terraform's `-parallelism` (default 10) at once. So pages
//! are read only with requests that reads already seen have paid for. Each distinct token
//! read earns one request (what its GET costs today), plus one for the first page:
//!
//! 1. The first read fetches the first page (`limit=25`, no `showAll`: this credential's own
//!    personal tokens and the service tokens). Reads arriving meanwhile wait for it. From its
//!    `totalCount` T, R = the page requests left (offsets `25, 50, …` up to T, planned as in
//!    `data_sources::fetch`).
//! 2. Budget = k + 1 − (requests made), for k distinct tokens read. When the budget covers
//!    every page left, they are all fetched at once (concurrently, within `max_concurrency`);
//!    the reads then waiting are answered by them. Budget beyond one request reserved per
//!    waiting read (its GET, should the list not answer it) is spent on the next page at once:
//!    a read answered by a page already read pays for another.
//! 3. A read the list has not answered waits while a page is in flight, and while reads keep
//!    arriving ([`QUIET`] after the last one); then it spends its reserve on a GET. After the
//!    first such wait ran out, it waits only if reads filling the room as before (about
//!    Terraform's parallelism) would pay for every page left.
//! 4. A token absent from the complete list is read with a GET before anything is concluded
//!    (another member's personal token, or one created after the snapshot), and so is a token
//!    this process changed or deleted.
//!
//! Requests for a refresh are therefore at most N + 1 + G (G: GETs for tokens the list cannot
//! show), and 1 + R ≤ ⌈T/25⌉ + 1 (+ G) when the reads seen before any GET cover the R pages
//! (T ≤ 25 × (parallelism + 1), or enough reads answered by the first pages). Three tokens
//! managed in an account of 10,000 cost the first page and three GETs, never the 400 pages.
//! No rule can do better without knowing N: 10 managed tokens and 500 managed tokens in an
//! account of 500 look the same to the provider (10 reads waiting, no more arriving until one
//! is answered), and reading the 20 pages costs the first twice today's 10 GETs.

mod lookup;
mod reader;

use crate::client::Error;
use crate::client::{ListParams, Pager, Step};
use crate::models::{Token, Tokens};
use crate::provider::data_sources::fetch;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{OnceCell, watch};
use tokio::time::Instant;

/// How long a read the list has not answered waits for more reads to arrive (once per
/// process) before it uses a GET.
pub const QUIET: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The first page is being read (or not yet asked for).
    Probing,
    /// Pages are read as the budget allows.
    Open,
    /// Every page left is being read.
    Finishing,
    /// The whole list is in `tokens`.
    Complete,
    /// The list could not be read: every read uses a GET.
    Unusable,
}

#[derive(Debug)]
struct State {
    phase: Phase,
    total: Option<i64>,
    /// Pages read so far, by offset, in order; `pager` has accepted them all.
    pages: BTreeMap<u64, Tokens>,
    pager: Pager,
    page_in_flight: bool,
    tokens: HashMap<String, Token>,
    /// Distinct tokens read (k).
    seen: HashSet<String>,
    /// Requests made within the budget: pages, and GETs before the list was complete.
    spent: usize,
    /// Reads waiting for an answer (each keeps one request in reserve).
    waiting: usize,
    /// The most reads seen waiting at once (about Terraform's `-parallelism`).
    max_waiting: usize,
    /// Changed or deleted by this process: never answered from the snapshot.
    forgotten: HashSet<String>,
    last_arrival: Option<Instant>,
    /// A wait for more reads ran out: from now on a read not answered uses a GET at once.
    stalled: bool,
}

impl State {
    fn limit() -> u32 {
        ListParams::default().limit
    }

    /// Page requests left, as planned from `totalCount` (at least one while not complete).
    fn remaining(&self) -> usize {
        fetch::planned_offsets(Self::limit(), self.total)
            .filter(|o| !self.pages.contains_key(o))
            .count()
            .max(1)
    }

    fn budget(&self) -> usize {
        (self.seen.len() + 1).saturating_sub(self.spent)
    }

    fn add(&mut self, offset: u64, page: Tokens) -> Result<(), Error> {
        let step = self
            .pager
            .accept(page.items.len(), page.total_count)
            .map_err(Error::Pagination)?;
        for t in &page.items {
            if !self.forgotten.contains(&t.id) {
                self.tokens.insert(t.id.clone(), t.clone());
            }
        }
        if self.total.is_none() {
            self.total = page.total_count;
        }
        self.pages.insert(offset, page);
        if step == Step::Done {
            self.phase = Phase::Complete;
        }
        Ok(())
    }
}

/// What the snapshot did, for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub reads: usize,
    pub requests: usize,
    pub listed: usize,
}

/// The process-wide snapshot (lives in [`super::Shared`]).
#[derive(Debug)]
pub struct TokenSnapshot {
    state: Mutex<State>,
    first: OnceCell<()>,
    changed: watch::Sender<u64>,
}

impl Default for TokenSnapshot {
    fn default() -> Self {
        TokenSnapshot {
            state: Mutex::new(State {
                phase: Phase::Probing,
                total: None,
                pages: BTreeMap::new(),
                pager: Pager::new(State::limit()),
                page_in_flight: false,
                tokens: HashMap::new(),
                seen: HashSet::new(),
                spent: 0,
                waiting: 0,
                max_waiting: 0,
                forgotten: HashSet::new(),
                last_arrival: None,
                stalled: false,
            }),
            first: OnceCell::new(),
            changed: watch::channel(0).0,
        }
    }
}

impl TokenSnapshot {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    pub fn stats(&self) -> Stats {
        let s = self.lock();
        Stats {
            reads: s.seen.len(),
            requests: s.spent,
            listed: s.tokens.len(),
        }
    }

    /// `id` was changed or deleted by this process: never answer it from the snapshot again.
    pub fn forget(&self, id: &str) {
        let mut s = self.lock();
        s.tokens.remove(id);
        s.forgotten.insert(id.to_string());
    }
}
