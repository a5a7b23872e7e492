//! A refresh's side of the snapshot: each read registers, waits while the list may still
//! answer it, and gets the token or `None` (then the caller GETs it).

use super::{Phase, QUIET, TokenSnapshot};
use crate::client::Client;
use crate::models::Token;
use std::sync::Arc;
use tokio::time::Instant;

/// Keeps `waiting` right even when the read is cancelled.
struct Waiting<'a>(&'a TokenSnapshot);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        {
            let mut s = self.0.lock();
            s.waiting = s.waiting.saturating_sub(1);
        }
        self.0.bump();
    }
}

/// What a read does next.
enum Next {
    Answer(Option<Box<Token>>),
    Wait(Option<Instant>),
}

impl TokenSnapshot {
    /// The token as the list shows it, or `None` when the caller must GET it (not listed,
    /// changed by this process, the list unreadable, or not paid for by the reads so far).
    /// `concurrency` bounds the pages fetched at once.
    pub async fn lookup(
        self: &Arc<Self>,
        client: &Client,
        concurrency: usize,
        id: &str,
    ) -> Option<Token> {
        let mut rx = self.changed.subscribe();
        {
            let mut s = self.lock();
            if s.forgotten.contains(id) {
                return None;
            }
            if s.seen.insert(id.to_string()) {
                s.last_arrival = Some(Instant::now());
            }
            s.waiting += 1;
            s.max_waiting = s.max_waiting.max(s.waiting);
        }
        let _waiting = Waiting(self);
        self.bump();
        self.first
            .get_or_init(|| self.probe(client, concurrency))
            .await;
        loop {
            let deadline = match self.next(id, false) {
                Next::Answer(t) => return t.map(|t| *t),
                Next::Wait(d) => d,
            };
            let changed = rx.changed();
            match deadline {
                None => {
                    if changed.await.is_err() {
                        return None;
                    }
                }
                Some(d) => {
                    tokio::select! {
                        r = changed => if r.is_err() { return None; },
                        () = tokio::time::sleep_until(d) => {
                            if let Next::Answer(t) = self.next(id, true) {
                                return t.map(|t| *t);
                            }
                        }
                    }
                }
            }
        }
    }

    /// The read's next step; `woke` after its wait for more reads ran out.
    fn next(&self, id: &str, woke: bool) -> Next {
        let mut s = self.lock();
        if let Some(t) = s.tokens.get(id) {
            return Next::Answer(Some(Box::new(t.clone())));
        }
        match s.phase {
            Phase::Complete | Phase::Unusable | Phase::Probing => Next::Answer(None),
            Phase::Finishing => Next::Wait(None),
            Phase::Open if s.page_in_flight => Next::Wait(None),
            Phase::Open => {
                let quiet_until = s.last_arrival.map(|l| l + QUIET);
                let quiet = quiet_until.is_none_or(|q| q <= Instant::now());
                // After the first wait ran out, wait again only when reads filling the room
                // as before would pay for every page left.
                let fill = s.max_waiting.saturating_sub(s.waiting);
                let worth_waiting = !s.stalled || s.budget() + fill >= s.remaining();
                if woke && quiet {
                    s.stalled = true;
                }
                if (woke && quiet) || !worth_waiting {
                    // Spend this read's reserve on its GET.
                    s.spent += 1;
                    Next::Answer(None)
                } else {
                    Next::Wait(quiet_until)
                }
            }
        }
    }
}
