//! The fault matrix's scenarios that run one apply loop under a fixed fault: 5xx, 429
//! storms in every header style, dropped connections, lost create responses and all of
//! them at once, each with its check that the fault really happened.

use super::{Scenario, run, token_count};
use launchdarkly_emulator::{Faults, RateLimitStyle, RequestRecord};

fn some(
    requests: &[RequestRecord],
    what: &str,
    f: impl Fn(&RequestRecord) -> bool,
) -> Result<(), String> {
    if requests.iter().any(f) {
        Ok(())
    } else {
        Err(format!("no request {what}"))
    }
}

/// The rate limit was met: a request answered 429, or one window (the requests announced
/// the same `X-Ratelimit-Reset`) used up the whole limit. With pacing by the headers
/// (`client/limiter.rs`) the provider may stop exactly at the wall and never see a 429.
fn limit_reached(requests: &[RequestRecord], limit: usize) -> Result<(), String> {
    if requests.iter().any(|r| r.status == 429) {
        return Ok(());
    }
    let mut per_window = std::collections::BTreeMap::<i64, usize>::new();
    for r in requests {
        if let Some(reset) = r.rate_limit_reset_ms {
            *per_window.entry(reset).or_default() += 1;
        }
    }
    let fullest = per_window.values().copied().max().unwrap_or(0);
    if fullest >= limit {
        Ok(())
    } else {
        Err(format!(
            "no 429 and no window used up the limit of {limit} (the fullest had {fullest})"
        ))
    }
}

const FAST: &str = "  max_concurrency = 25";

#[test]
fn fault_matrix_30_percent_5xx() {
    run(Scenario {
        name: "30% 5xx",
        faults: Faults {
            error_rate: 0.3,
            seed: Some(14),
            ..Faults::default()
        },
        provider: FAST,
        parallelism: 25,
        max_applies: 15,
        exercised: |reqs, first| {
            some(reqs, "answered 503", |r| r.status == 503)?;
            if first.contains("no token was created") {
                Ok(())
            } else {
                Err("no create failed in the first apply".into())
            }
        },
    });
}

#[test]
fn fault_matrix_429_storm_with_rate_limit_headers() {
    run(Scenario {
        name: "429 storm, X-Ratelimit headers",
        faults: Faults {
            rate_limit: Some(20),
            rate_limit_window_ms: 1_000,
            rate_limit_style: RateLimitStyle::Global,
            ..Faults::default()
        },
        provider: FAST,
        parallelism: 25,
        max_applies: 3,
        exercised: |reqs, _| {
            some(reqs, "announced X-Ratelimit-Reset", |r| {
                r.rate_limit_reset_ms.is_some()
            })?;
            limit_reached(reqs, 20)
        },
    });
}

#[test]
fn fault_matrix_429_storm_with_retry_after_only() {
    run(Scenario {
        name: "429 storm, Retry-After only",
        faults: Faults {
            rate_limit: Some(20),
            rate_limit_window_ms: 1_000,
            rate_limit_style: RateLimitStyle::RetryAfter,
            ..Faults::default()
        },
        provider: FAST,
        parallelism: 25,
        max_applies: 3,
        exercised: |reqs, _| {
            some(reqs, "answered 429 with Retry-After", |r| {
                r.status == 429 && r.retry_after_secs.is_some()
            })
        },
    });
}

#[test]
fn fault_matrix_429_storm_without_headers() {
    run(Scenario {
        name: "429 storm, no headers",
        faults: Faults {
            rate_limit: Some(20),
            rate_limit_window_ms: 1_000,
            rate_limit_style: RateLimitStyle::None,
            ..Faults::default()
        },
        provider: FAST,
        parallelism: 25,
        max_applies: 3,
        exercised: |reqs, _| {
            some(reqs, "answered 429", |r| r.status == 429)?;
            if reqs
                .iter()
                .any(|r| r.rate_limit_reset_ms.is_some() || r.retry_after_secs.is_some())
            {
                return Err("a response announced a rate limit".into());
            }
            Ok(())
        },
    });
}

#[test]
fn fault_matrix_dropped_connections() {
    run(Scenario {
        name: "20% dropped connections",
        faults: Faults {
            drop_rate: 0.2,
            seed: Some(14),
            ..Faults::default()
        },
        provider: FAST,
        parallelism: 25,
        max_applies: 15,
        exercised: |reqs, _| some(reqs, "dropped", |r| r.dropped),
    });
}

#[test]
fn fault_matrix_five_lost_create_responses() {
    run(Scenario {
        name: "5 lost create responses",
        faults: Faults {
            lose_next_creates: 5,
            ..Faults::default()
        },
        provider: FAST,
        parallelism: 25,
        max_applies: 2,
        exercised: |reqs, first| {
            let posts = reqs
                .iter()
                .filter(|r| r.method == "POST" && r.path == "/api/v2/tokens")
                .count();
            let resets = reqs.iter().filter(|r| r.path.ends_with("/reset")).count();
            if posts != token_count() {
                return Err(format!("{posts} creates sent: a create was repeated"));
            }
            if resets != 5 {
                return Err(format!("{resets} adopted tokens reset, 5 expected"));
            }
            if !first.contains(&format!("{} added", token_count())) {
                return Err("the first apply did not create every token".into());
            }
            Ok(())
        },
    });
}

#[test]
fn fault_matrix_everything_at_once() {
    // The mix defect 8 was measured with: 5xx, lost creates, a rate limit and drops.
    run(Scenario {
        name: "20% 5xx + 5 lost creates + rate limit + 10% drops",
        faults: Faults {
            error_rate: 0.2,
            lose_next_creates: 5,
            drop_rate: 0.1,
            rate_limit: Some(40),
            rate_limit_window_ms: 1_000,
            seed: Some(8),
            ..Faults::default()
        },
        provider: FAST,
        parallelism: 25,
        max_applies: 15,
        exercised: |reqs, _| {
            some(reqs, "answered 503", |r| r.status == 503)?;
            some(reqs, "dropped", |r| r.dropped)?;
            limit_reached(reqs, 40)
        },
    });
}
