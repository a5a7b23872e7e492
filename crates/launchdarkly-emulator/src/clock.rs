//! The emulator's clock: real time plus an offset that tests move forward, so expiry and
//! grace periods are tested without sleeping. Rate-limit windows use real time instead
//! (clients compute their waits from the real clock).

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Real epoch milliseconds.
pub use launchdarkly_api::models::time::now_ms as real_now_ms;

/// A clock that can be advanced.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// A clock at real time plus `offset_ms`.
    pub fn with_offset(offset_ms: i64) -> Self {
        Clock {
            offset_ms: AtomicI64::new(offset_ms),
        }
    }

    /// Emulated epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        real_now_ms().saturating_add(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Moves the clock forward by `by`; returns the new time.
    pub fn advance(&self, by: Duration) -> i64 {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        // Saturating, never wrapping into the past (fetch_add would wrap).
        let _ = self
            .offset_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| {
                Some(o.saturating_add(ms))
            });
        self.now_ms()
    }

    /// The current offset from real time.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_by_at_least_the_amount() {
        let c = Clock::default();
        let before = c.now_ms();
        let after = c.advance(Duration::from_secs(3600));
        assert!(after - before >= 3_600_000);
        assert_eq!(c.offset_ms(), 3_600_000);
    }

    #[test]
    fn a_huge_advance_saturates_instead_of_wrapping_into_the_past() {
        let c = Clock::default();
        c.advance(Duration::MAX);
        c.advance(Duration::from_secs(1));
        assert_eq!(c.offset_ms(), i64::MAX);
        assert!(c.now_ms() > 0);
    }
}
