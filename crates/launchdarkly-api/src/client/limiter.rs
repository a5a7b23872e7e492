//! The process-wide request limiter: every API call of a provider process takes a slot here
//! before each attempt and gives it back when the response arrives (not during backoff, so a
//! call that is waiting to retry never blocks the others).
//!
//! - At most `max_concurrency` attempts are in flight.
//! - Pacing by the `X-Ratelimit-*-Remaining` headers, shared by all concurrent calls. An
//!   answer saying `R` requests remain until the reset, with `n` other attempts in flight
//!   (sent, not answered, so perhaps not yet counted by the server), leaves `R - n` attempts
//!   that may still *start* before the reset; each attempt started spends one. When none is
//!   left (R ≤ in flight), new attempts wait for the reset instead of running into a 429.
//!   The answer with the lowest count is the server's latest state: it sets the budget. An
//!   answer with a higher count arriving after it was counted before it, so it was one of
//!   the `n` subtracted there although already counted: it gives one back (at most `n` in
//!   all). Answers that arrive in another order than the server counted them therefore cost
//!   nothing, and requests of other clients sharing the limit only lower the count. An answer
//!   announcing a later reset starts a new window; one announcing an earlier reset (late
//!   news) is ignored. At a reset, the calls held for it start at once, at most as many
//!   as the last window allowed (its highest count + 1), until the new window's first
//!   answer. Reset times are server input: one further away than
//!   [`MAX_PACING_HOLD`] is not used for pacing (a 429 then decides, bounded by the call's
//!   deadline), and without a reset time a window of one second is assumed.
//! - After a 429, [`Limiter::pause_for`] holds back *every* caller until the reset time, so
//!   they do not all hit the limit again at once.

use std::sync::Arc;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// Default cap on requests in flight: Terraform's default `-parallelism` (10), so a plan never
/// waits on the client more than on Terraform itself.
pub const DEFAULT_MAX_CONCURRENCY: usize = 10;

/// The longest a `Remaining` count holds calls back: LaunchDarkly counts per 10 s window, so
/// a reset announced further away than this is not trusted for pacing.
pub const MAX_PACING_HOLD: Duration = Duration::from_secs(60);

/// The window assumed when `Remaining` comes without a reset time.
const DEFAULT_WINDOW: Duration = Duration::from_secs(1);

/// Held calls start this long after the announced reset: reset times have millisecond
/// resolution, so releasing them exactly at it could land in the old window.
const RESET_MARGIN: Duration = Duration::from_millis(10);

/// Reset times closer than this belong to the same window (the conversion from the header's
/// epoch milliseconds to a local instant moves by about a millisecond between responses).
const SAME_WINDOW: Duration = Duration::from_millis(25);

/// What the last rate-limit answers allow until a reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    /// When the server's window ends (plus [`RESET_MARGIN`]).
    reset: Instant,
    /// The lowest `Remaining` seen in this window.
    lowest: u64,
    /// Attempts that may still start before `reset` (≤ 0: none).
    budget: i64,
    /// Answers with a higher count that may still give one back.
    give_back: u64,
    /// The most this window allowed, as far as seen (highest `Remaining` + 1): the next
    /// window starts with that much before its first answer.
    top: u64,
    /// A window opened at a reset, from the last one's `top`, before any answer of its own:
    /// the first answer replaces it.
    provisional: bool,
}

#[derive(Debug)]
struct State {
    in_flight: usize,
    peak: usize,
    max: usize,
    window: Option<Window>,
    paused_until: Option<Instant>,
    paced: u64,
}

impl State {
    /// The pacing window still running at `now` (a past one is forgotten).
    fn window(&mut self, now: Instant) -> Option<Window> {
        if let Some(w) = self.window.filter(|w| w.reset <= now) {
            // At a reset, calls held for it start at once; the server's window is unknown
            // until they are answered, so the last window's size bounds that first burst.
            self.window = (!w.provisional).then(|| Window {
                reset: now.checked_add(DEFAULT_WINDOW).unwrap_or(now),
                lowest: w.top,
                budget: i64::try_from(w.top).unwrap_or(i64::MAX),
                give_back: 0,
                top: w.top,
                provisional: true,
            });
        }
        self.window
    }
}

/// Counters for tests and diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimiterStats {
    /// Attempts in flight now.
    pub in_flight: usize,
    /// Most attempts ever in flight at once.
    pub peak: usize,
    /// The configured cap.
    pub max: usize,
    /// How many times an attempt was held back for a rate-limit window's reset because the
    /// `Remaining` headers said the window was spent.
    pub paced: u64,
}

/// Shared limiter; clone the `Arc` to share it.
#[derive(Debug)]
pub struct Limiter {
    state: Mutex<State>,
    notify: Notify,
}

/// A slot in the limiter, released on drop.
#[derive(Debug)]
pub struct Permit {
    limiter: Arc<Limiter>,
}

impl Permit {
    /// Records the `Remaining` count of this attempt's response: until the reset
    /// `until_reset` from now (one second when the server gave none), at most `remaining`
    /// less the *other* attempts in flight may start. Call it before dropping the permit, so
    /// that an answer processed after another one was still counted in flight there (the
    /// give-back rule relies on it).
    pub fn observe_remaining(&self, remaining: i64, until_reset: Option<Duration>) {
        self.limiter.observe_remaining(remaining, until_reset);
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        // Always give the slot back, even if some holder of the lock panicked: a skipped
        // decrement would leak the slot until every call hangs to its deadline.
        let mut s = self.limiter.lock();
        s.in_flight = s.in_flight.saturating_sub(1);
        drop(s);
        self.limiter.notify.notify_waiters();
    }
}

/// `now + wait`, for waits that may come from server headers: never overflows (a wait beyond
/// what `Instant` can hold is clamped to a day, far past every deadline).
fn after(wait: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(wait)
        .or_else(|| now.checked_add(super::retry::MAX_SERVER_WAIT))
        .unwrap_or(now)
}

impl Limiter {
    /// A limiter allowing `max_concurrency` attempts in flight (0 means the default).
    pub fn new(max_concurrency: usize) -> Arc<Self> {
        let max = if max_concurrency == 0 {
            DEFAULT_MAX_CONCURRENCY
        } else {
            max_concurrency
        };
        Arc::new(Limiter {
            state: Mutex::new(State {
                in_flight: 0,
                peak: 0,
                max,
                window: None,
                paused_until: None,
                paced: 0,
            }),
            notify: Notify::new(),
        })
    }

    /// The state, recovered if a previous holder panicked (its counters stay consistent:
    /// every update is a single assignment).
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a slot (and for any pause, and a spent rate-limit window, to end).
    pub async fn acquire(self: &Arc<Self>) -> Permit {
        let mut held = false;
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let wait_until = {
                let now = Instant::now();
                let mut s = self.lock();
                match s.paused_until {
                    Some(t) if t > now => Some(t),
                    _ => {
                        s.paused_until = None;
                        if s.in_flight >= s.max {
                            None
                        } else if let Some(w) = s.window(now).filter(|w| w.budget <= 0) {
                            if !held {
                                held = true;
                                s.paced = s.paced.saturating_add(1);
                            }
                            Some(w.reset)
                        } else {
                            if let Some(w) = s.window.as_mut() {
                                w.budget = w.budget.saturating_sub(1);
                            }
                            s.in_flight += 1;
                            s.peak = s.peak.max(s.in_flight);
                            return Permit {
                                limiter: Arc::clone(self),
                            };
                        }
                    }
                }
            };
            match wait_until {
                Some(t) => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(t) => {}
                        _ = &mut notified => {}
                    }
                }
                None => notified.await,
            }
        }
    }

    /// Holds back every caller for `wait` (extends, never shortens, a running pause).
    pub fn pause_for(&self, wait: Duration) {
        let until = after(wait);
        {
            let mut s = self.lock();
            s.paused_until = Some(s.paused_until.map_or(until, |p| p.max(until)));
        }
        self.notify.notify_waiters();
    }

    /// See [`Permit::observe_remaining`]; called while that permit holds its slot.
    fn observe_remaining(&self, remaining: i64, until_reset: Option<Duration>) {
        let until_reset = until_reset.unwrap_or(DEFAULT_WINDOW);
        if until_reset > MAX_PACING_HOLD {
            return;
        }
        let reset = after(until_reset.saturating_add(RESET_MARGIN));
        let now = Instant::now();
        {
            let mut s = self.lock();
            let remaining = u64::try_from(remaining.max(0)).unwrap_or(u64::MAX);
            // The others: the answering attempt still holds its slot.
            let in_flight = u64::try_from(s.in_flight.saturating_sub(1)).unwrap_or(u64::MAX);
            let fresh = Window {
                reset,
                lowest: remaining,
                // Negative when more are in flight than remain: answers counted before this
                // one first pay that back.
                budget: i64::try_from(remaining)
                    .unwrap_or(i64::MAX)
                    .saturating_sub(i64::try_from(in_flight).unwrap_or(i64::MAX)),
                give_back: in_flight,
                top: remaining.saturating_add(1),
                provisional: false,
            };
            let next = match s.window(now) {
                None => fresh,
                Some(w) if w.provisional => fresh,
                // An answer from an earlier window, arriving late: nothing new.
                Some(w) if reset + SAME_WINDOW < w.reset => w,
                // The same window, a newer state of the server's count.
                Some(w) if reset <= w.reset + SAME_WINDOW && remaining < w.lowest => Window {
                    reset: w.reset.max(reset),
                    top: w.top.max(fresh.top),
                    ..fresh
                },
                // The same window, counted before the lowest: already counted there.
                Some(w) if reset <= w.reset + SAME_WINDOW => {
                    let give = u64::from(remaining > w.lowest && w.give_back > 0);
                    Window {
                        give_back: w.give_back - give,
                        budget: w.budget.saturating_add(i64::from(give == 1)),
                        top: w.top.max(fresh.top),
                        ..w
                    }
                }
                // A later reset: a new window.
                Some(_) => fresh,
            };
            tracing::trace!(
                remaining,
                in_flight,
                budget = next.budget,
                "rate-limit budget until the reset"
            );
            s.window = Some(next);
        }
        // A new window may allow more than before.
        self.notify.notify_waiters();
    }

    /// Current counters.
    pub fn stats(&self) -> LimiterStats {
        let s = self.lock();
        LimiterStats {
            in_flight: s.in_flight,
            peak: s.peak,
            max: s.max,
            paced: s.paced,
        }
    }
}

#[cfg(test)]
#[path = "limiter_tests.rs"]
mod tests;
