//! Time as LaunchDarkly writes it: Unix epoch milliseconds (`creationDate`,
//! `expirationDate`, `lastUsed`, the `X-Ratelimit-Reset` header).

use std::time::{SystemTime, UNIX_EPOCH};

/// `t` in epoch milliseconds (0 before the epoch, `i64::MAX` past its range).
pub fn epoch_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The current time in epoch milliseconds.
pub fn now_ms() -> i64 {
    epoch_ms(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn epoch_ms_saturates_at_both_ends() {
        assert_eq!(epoch_ms(UNIX_EPOCH), 0);
        assert_eq!(epoch_ms(UNIX_EPOCH - Duration::from_secs(1)), 0);
        assert_eq!(epoch_ms(UNIX_EPOCH + Duration::from_millis(1_500)), 1_500);
        assert!(now_ms() > 1_700_000_000_000);
    }
}
