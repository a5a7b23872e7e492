//! The page reader: the first page, then the rest as the reads' budget allows (one page at
//! a time, or every page left at once), until the list is complete or unusable.

use super::{Phase, State, TokenSnapshot};
use crate::client::{Client, Error, ListParams};
use crate::models::Tokens;
use crate::provider::data_sources::fetch::{self, MAX_PAGE_CONCURRENCY};
use std::sync::Arc;

/// What the page reader does next.
enum Work {
    Page(u64),
    Finish,
    Idle,
    Stop,
}

impl TokenSnapshot {
    /// Reads the first page; the rest is read by a task of its own (a cancelled read must
    /// not leave the others waiting).
    pub(super) async fn probe(self: &Arc<Self>, client: &Client, concurrency: usize) {
        self.lock().spent += 1;
        let page = list_page(client, 0).await;
        let open = {
            let mut s = self.lock();
            s.phase = Phase::Open;
            let added = page.and_then(|p| s.add(0, p));
            if let Err(e) = added {
                tracing::warn!(error = %e, "could not list access tokens; refreshing each with a GET");
                s.phase = Phase::Unusable;
            }
            s.phase == Phase::Open
        };
        if open {
            let this = self.clone();
            let client = client.clone();
            tokio::spawn(async move { this.read_rest(client, concurrency).await });
        }
        self.bump();
    }

    fn work(&self) -> Work {
        let mut s = self.lock();
        if s.phase != Phase::Open {
            return Work::Stop;
        }
        if s.page_in_flight {
            return Work::Idle;
        }
        let remaining = s.remaining();
        if s.budget() >= remaining {
            s.phase = Phase::Finishing;
            s.spent += remaining;
            return Work::Finish;
        }
        if s.budget() > s.waiting {
            s.spent += 1;
            s.page_in_flight = true;
            return Work::Page(s.pager.offset());
        }
        Work::Idle
    }

    /// Reads pages as the budget allows, until the list is complete or unusable.
    async fn read_rest(self: Arc<Self>, client: Client, concurrency: usize) {
        let mut rx = self.changed.subscribe();
        loop {
            let result = match self.work() {
                Work::Stop => return,
                Work::Idle => {
                    if rx.changed().await.is_err() {
                        return;
                    }
                    continue;
                }
                Work::Page(offset) => {
                    let page = list_page(&client, offset).await;
                    let mut s = self.lock();
                    s.page_in_flight = false;
                    page.and_then(|p| s.add(offset, p))
                }
                Work::Finish => self.finish(&client, concurrency).await,
            };
            if let Err(e) = result {
                tracing::warn!(error = %e, "could not list access tokens; refreshing each with a GET");
                self.lock().phase = Phase::Unusable;
            }
            self.bump();
        }
    }

    /// Reads every page left at once; the pages read already are reused, not fetched again.
    async fn finish(&self, client: &Client, concurrency: usize) -> Result<(), Error> {
        let cached = self.lock().pages.clone();
        let all = fetch::read_pages(
            State::limit(),
            concurrency.clamp(1, MAX_PAGE_CONCURRENCY),
            |offset| {
                let hit = cached.get(&offset).cloned();
                async move {
                    match hit {
                        Some(p) => Ok(p),
                        None => list_page(client, offset).await,
                    }
                }
            },
        )
        .await?;
        let mut s = self.lock();
        for t in all {
            if !s.forgotten.contains(&t.id) {
                s.tokens.insert(t.id.clone(), t);
            }
        }
        s.phase = Phase::Complete;
        tracing::debug!(
            tokens = s.tokens.len(),
            reads = s.seen.len(),
            pages_before = s.pages.len(),
            requests = s.spent,
            "token list read for refresh"
        );
        Ok(())
    }
}

/// One page of the list (no `showAll`: the tokens this credential sees by default).
async fn list_page(client: &Client, offset: u64) -> Result<Tokens, Error> {
    client
        .list_tokens_page(ListParams {
            show_all: false,
            limit: State::limit(),
            offset,
        })
        .await
}
