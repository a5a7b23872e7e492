//! The fault matrix (issue 14): for each fault the emulator can inject, an apply of 50
//! tokens (`LD_FAULT_TOKENS` to change it) through the real Terraform, re-applied under the
//! same fault until it succeeds (a bounded number of times), then a plan that must show no
//! changes. Each run ends with the server's token set equal to the state's: zero orphans
//! (tokens on the server that no state tracks), zero missing tokens, zero duplicates (two
//! server tokens with one name — every configured name is unique — or two instances with
//! one ID), no token left with a create marker, and every secret in state the token's
//! current one. Each test prints its counts.
//!
//! Latency: every attempt of a 2 s-latency API with `http_timeout = 1` times out, and reads
//! are retried for the client's 2-minute budget, so an apply under that fault cannot
//! succeed and takes minutes. The always-on test holds the latency until the provider
//! reports the first create with an unknown outcome (all 50 creates were sent
//! concurrently by then and each one timed out), then lifts it: the provider must find that
//! none of them created anything, fail clearly, and converge on the next apply.
//! `LD_SLOW_EVIDENCE=1` keeps the latency for the whole first apply instead (about
//! 2 minutes): every create must fail cleanly within the budget, nothing may be created,
//! and once the latency is gone the next apply converges. See docs/testing.md.

mod checks;
mod latency;
mod scenarios;

pub(crate) use checks::finish;

use crate::support::*;
use launchdarkly_emulator::{Faults, RequestRecord};
use std::io::Read;
use std::thread::JoinHandle;
use std::time::Instant;

pub(crate) fn token_count() -> usize {
    std::env::var("LD_FAULT_TOKENS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(50)
}

fn slow_evidence() -> bool {
    std::env::var("LD_SLOW_EVIDENCE").is_ok_and(|v| v == "1")
}

pub(crate) fn config(n: usize, provider: &str) -> String {
    format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{\n{provider}\n}}\n\nresource \"launchdarkly_access_token\" \"t\" {{\n  count = {n}\n  name  = \"fm-${{count.index}}\"\n  role  = \"reader\"\n}}\n"
    )
}

pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) faults: Faults,
    /// Provider block body.
    pub(crate) provider: &'static str,
    /// Terraform's `-parallelism`.
    pub(crate) parallelism: usize,
    /// Applies allowed (the first included) before the run counts as not converging.
    pub(crate) max_applies: usize,
    /// Checks that the fault really happened, from the request log and the first apply.
    pub(crate) exercised: fn(&[RequestRecord], &str) -> Result<(), String>,
}

pub(crate) struct Outcome {
    pub(crate) applies: usize,
    pub(crate) failed_applies: usize,
    pub(crate) requests: Vec<RequestRecord>,
    pub(crate) first_output: String,
}

pub(crate) fn apply_args(parallelism: usize) -> Vec<String> {
    [
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        &format!("-parallelism={parallelism}"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Starts a scenario: the clock, then a lab with `n` tokens configured and the scenario's
/// faults injected.
pub(crate) fn start(s: &Scenario, n: usize) -> (Instant, Lab) {
    let started = Instant::now();
    let lab = Lab::new(&config(n, s.provider));
    lab.emu.set_faults(s.faults.clone());
    (started, lab)
}

/// Reads a child's output pipe to its end on a thread of its own.
pub(crate) fn read_in_background(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    })
}

/// After a first apply that failed (its output `first`), re-applies under the lab's current
/// faults until an apply succeeds, then runs the matrix's checks.
pub(crate) fn converge_after_failed_first_apply(
    lab: &Lab,
    s: &Scenario,
    n: usize,
    first: String,
    started: Instant,
) {
    let mut ignored = String::new();
    let failed = apply_until_success(lab, s, 1, &mut ignored);
    let outcome = Outcome {
        applies: failed + 2,
        failed_applies: failed + 1,
        requests: lab.emu.requests(),
        first_output: first,
    };
    finish(lab, s, n, outcome, started, false);
}

/// Re-applies under the lab's current faults until an apply succeeds.
pub(crate) fn apply_until_success(
    lab: &Lab,
    s: &Scenario,
    mut done: usize,
    first: &mut String,
) -> usize {
    let args = apply_args(s.parallelism);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut failed = 0;
    loop {
        let o = lab.wd.run(&args);
        done += 1;
        let out = text(&o);
        assert!(
            !out.contains("plugin crashed") && !out.contains("panic:"),
            "{}: apply {done} crashed:\n{out}",
            s.name
        );
        if first.is_empty() {
            *first = out.clone();
        }
        if o.status.success() {
            return failed;
        }
        failed += 1;
        assert!(
            done < s.max_applies,
            "{}: still failing after {done} applies; last output:\n{out}",
            s.name
        );
    }
}

fn run(s: Scenario) {
    if !provider_evidence_runs_here(s.name) {
        return;
    }
    let n = token_count();
    let (started, lab) = start(&s, n);
    let mut first = String::new();
    let failed = apply_until_success(&lab, &s, 0, &mut first);
    let outcome = Outcome {
        applies: failed + 1,
        failed_applies: failed,
        requests: lab.emu.requests(),
        first_output: first,
    };
    finish(&lab, &s, n, outcome, started, true);
}
