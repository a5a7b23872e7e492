//! The process-wide request limiter: every API call of a provider process takes a slot here
//! before each attempt and gives it back when the response arrives (not during backoff, so a
//! call that is waiting to retry never blocks the others).
//!
//! - At most `max_concurrency` attempts are in flight.
//! - When the `X-Ratelimit-*-Remaining` headers run low, the cap drops to the remaining count
//!   (at least 1) until the announced reset time, so the last requests of a window trickle.
//! - After a 429, [`Limiter::pause_until`] holds back *every* caller until the reset time, so
//!   they do not all hit the limit again at once.

use std::sync::Arc;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// Default cap on requests in flight: Terraform's default `-parallelism` (10), so a plan never
/// waits on the client more than on Terraform itself.
pub const DEFAULT_MAX_CONCURRENCY: usize = 10;

#[derive(Debug)]
struct State {
    in_flight: usize,
    peak: usize,
    max: usize,
    reduced_cap: Option<(usize, Instant)>,
    paused_until: Option<Instant>,
}

impl State {
    fn cap(&self, now: Instant) -> usize {
        match self.reduced_cap {
            Some((cap, until)) if now < until => cap.clamp(1, self.max),
            _ => self.max,
        }
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
                reduced_cap: None,
                paused_until: None,
            }),
            notify: Notify::new(),
        })
    }

    /// The state, recovered if a previous holder panicked (its counters stay consistent:
    /// every update is a single assignment).
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a slot (and for any pause to end).
    pub async fn acquire(self: &Arc<Self>) -> Permit {
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
                        if s.in_flight < s.cap(now) {
                            s.in_flight += 1;
                            s.peak = s.peak.max(s.in_flight);
                            return Permit {
                                limiter: Arc::clone(self),
                            };
                        }
                        // A reduced cap ends at a known time: wake then even without a release.
                        s.reduced_cap.map(|(_, until)| until).filter(|u| *u > now)
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

    /// Records the `Remaining` count of a response: when it is below the cap, the cap drops to
    /// it (at least 1) for `until_reset` (or one second when the server gave no reset time).
    pub fn observe_remaining(&self, remaining: i64, until_reset: Option<Duration>) {
        let mut s = self.lock();
        let remaining = usize::try_from(remaining.max(0)).unwrap_or(usize::MAX);
        if remaining < s.max {
            let until = after(until_reset.unwrap_or(Duration::from_secs(1)));
            s.reduced_cap = Some((remaining.max(1), until));
        } else {
            s.reduced_cap = None;
        }
    }

    /// Current counters.
    pub fn stats(&self) -> LimiterStats {
        let s = self.lock();
        LimiterStats {
            in_flight: s.in_flight,
            peak: s.peak,
            max: s.max,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_more_than_max_in_flight() {
        let limiter = Limiter::new(3);
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let l = Arc::clone(&limiter);
            tasks.push(tokio::spawn(async move {
                let _p = l.acquire().await;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }));
        }
        for t in tasks {
            t.await.expect("task");
        }
        let stats = limiter.stats();
        assert_eq!(stats.peak, 3);
        assert_eq!(stats.in_flight, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn pause_holds_everyone_until_it_ends() {
        let limiter = Limiter::new(4);
        let start = Instant::now();
        limiter.pause_for(Duration::from_secs(5));
        let _p = limiter.acquire().await;
        assert!(Instant::now() - start >= Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn low_remaining_lowers_the_cap_until_reset() {
        let limiter = Limiter::new(5);
        limiter.observe_remaining(1, Some(Duration::from_secs(2)));
        let start = Instant::now();
        let p1 = limiter.acquire().await;
        let l2 = Arc::clone(&limiter);
        let second = tokio::spawn(async move {
            let _p = l2.acquire().await;
            Instant::now()
        });
        // The second caller gets in only when the reduced cap expires (p1 is still held).
        let got = second.await.expect("task");
        assert!(got - start >= Duration::from_secs(2));
        drop(p1);
        limiter.observe_remaining(100, None);
        let _a = limiter.acquire().await;
        let _b = limiter.acquire().await;
        assert_eq!(limiter.stats().in_flight, 2);
    }

    /// Regression (reliability defect 2): huge waits from server headers neither panic nor
    /// poison the lock, and a permit dropped after a poisoning still frees its slot.
    #[tokio::test(start_paused = true)]
    async fn huge_waits_do_not_panic_and_slots_survive_a_poisoned_lock() {
        let limiter = Limiter::new(1);
        limiter.observe_remaining(0, Some(Duration::MAX));
        limiter.pause_for(Duration::MAX);
        assert_eq!(limiter.stats().in_flight, 0);

        let limiter = Limiter::new(1);
        let permit = limiter.acquire().await;
        let l = Arc::clone(&limiter);
        let _ = std::thread::spawn(move || {
            let _guard = l.state.lock();
            panic!("poison the limiter's lock");
        })
        .join();
        assert!(limiter.state.is_poisoned());
        drop(permit);
        assert_eq!(limiter.stats().in_flight, 0);
        let _again = limiter.acquire().await;
        assert_eq!(limiter.stats().in_flight, 1);
    }

    #[test]
    fn zero_means_default() {
        assert_eq!(Limiter::new(0).stats().max, DEFAULT_MAX_CONCURRENCY);
    }
}
