//! The request log: one record per API request (not admin requests), which tests read to
//! check what the client sent, how often, and when. It keeps only the most recent records
//! (`EmulatorConfig::max_logged_requests`) and counts the ones it dropped.

use std::collections::VecDeque;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One API request as the emulator saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestRecord {
    /// Sequence number (0-based, in arrival order).
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Status answered (for a dropped connection, the status that was never delivered).
    pub status: u16,
    /// The connection was dropped instead of delivering the response.
    pub dropped: bool,
    /// Arrival, real epoch ms.
    pub received_at_ms: i64,
    /// Arrival, time since the emulator started.
    pub since_start: Duration,
    /// The emulated clock at arrival.
    pub emulator_time_ms: i64,
    /// `X-Ratelimit-Reset` / `X-Ratelimit-Auth-Token-Reset` sent with this response.
    pub rate_limit_reset_ms: Option<i64>,
    /// `Retry-After` (seconds) sent with this response.
    pub retry_after_secs: Option<u64>,
    /// Last four characters of the credential used (never the full value).
    pub credential_last4: Option<String>,
}

/// How many records the log keeps by default: enough for any test scenario (a 500-request
/// run fits twenty times over), small enough that a long-running emulator stays bounded.
pub const DEFAULT_MAX_LOGGED_REQUESTS: usize = 10_000;

/// The most recent API requests, oldest first, at most `capacity` of them. When full, the
/// oldest record is dropped for each new one and counted.
#[derive(Debug)]
pub struct RequestLog {
    records: VecDeque<RequestRecord>,
    capacity: usize,
    dropped: u64,
}

impl RequestLog {
    /// An empty log keeping at most `capacity` records (0 keeps none).
    pub fn new(capacity: usize) -> Self {
        RequestLog {
            // Grown on demand: a large capacity costs nothing until it is used.
            records: VecDeque::new(),
            capacity,
            dropped: 0,
        }
    }

    /// Appends a record, dropping the oldest ones beyond the capacity.
    pub fn push(&mut self, record: RequestRecord) {
        self.records.push_back(record);
        while self.records.len() > self.capacity {
            self.records.pop_front();
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// The records kept, oldest first.
    pub fn records(&self) -> Vec<RequestRecord> {
        self.records.iter().cloned().collect()
    }

    /// Records dropped to stay within the capacity since start (or the last `clear`).
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The most records kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Empties the log and resets the dropped count.
    pub fn clear(&mut self) {
        self.records.clear();
        self.dropped = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: u64) -> RequestRecord {
        RequestRecord {
            seq,
            method: String::from("GET"),
            path: String::from("/api/v2/tokens"),
            query: None,
            status: 200,
            dropped: false,
            received_at_ms: 0,
            since_start: Duration::ZERO,
            emulator_time_ms: 0,
            rate_limit_reset_ms: None,
            retry_after_secs: None,
            credential_last4: None,
        }
    }

    fn seqs(log: &RequestLog) -> Vec<u64> {
        log.records().iter().map(|r| r.seq).collect()
    }

    #[test]
    fn the_log_stays_bounded_and_keeps_the_newest_records() {
        let mut log = RequestLog::new(3);
        for seq in 0..10 {
            log.push(record(seq));
            assert!(log.records().len() <= 3);
        }
        assert_eq!(seqs(&log), vec![7, 8, 9]);
        assert_eq!(log.dropped(), 7);
        assert_eq!(log.capacity(), 3);
    }

    #[test]
    fn below_the_capacity_nothing_is_dropped() {
        let mut log = RequestLog::new(DEFAULT_MAX_LOGGED_REQUESTS);
        for seq in 0..500 {
            log.push(record(seq));
        }
        assert_eq!(seqs(&log), (0..500).collect::<Vec<_>>());
        assert_eq!(log.dropped(), 0);
    }

    #[test]
    fn clearing_empties_the_log_and_resets_the_dropped_count() {
        let mut log = RequestLog::new(2);
        for seq in 0..5 {
            log.push(record(seq));
        }
        log.clear();
        assert!(log.records().is_empty());
        assert_eq!(log.dropped(), 0);
        log.push(record(5));
        assert_eq!(seqs(&log), vec![5]);
    }

    #[test]
    fn a_zero_capacity_log_keeps_nothing_and_counts_everything() {
        let mut log = RequestLog::new(0);
        for seq in 0..4 {
            log.push(record(seq));
        }
        assert!(log.records().is_empty());
        assert_eq!(log.dropped(), 4);
    }
}
