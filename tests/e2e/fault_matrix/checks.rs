//! The checks every fault-matrix run ends with: the no-change plan, then the server's
//! token set against the state's (orphans, missing tokens, duplicates, create markers,
//! stale secrets), with the run's counts printed.

use super::{Outcome, Scenario};
use crate::support::*;
use launchdarkly_emulator::{Faults, RequestRecord};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// What the provider puts in `description` while a create is in flight (docs/index.md).
const CREATE_MARKER: &str = "terraform-provider-launchdarkly create";

/// The no-change plan (under the fault when `plan_under_fault`) and the set checks.
pub(crate) fn finish(
    lab: &Lab,
    s: &Scenario,
    n: usize,
    o: Outcome,
    started: Instant,
    plan_under_fault: bool,
) {
    if let Err(why) = (s.exercised)(&o.requests, &o.first_output) {
        panic!(
            "{}: the fault was not exercised: {why}\nfirst apply:\n{}",
            s.name, o.first_output
        );
    }
    if !plan_under_fault {
        lab.emu.set_faults(Faults::default());
    }
    lab.assert_no_changes(&format!("{}: after converging", s.name));
    lab.emu.set_faults(Faults::default());

    let state = tokens_in(&lab.wd);
    let server = lab.server_tokens();
    let state_ids: BTreeSet<&str> = state.values().map(|(id, _)| id.as_str()).collect();
    let server_ids: BTreeSet<&str> = server.iter().map(|t| t.id.as_str()).collect();
    let orphans: Vec<&&str> = server_ids.difference(&state_ids).collect();
    let missing: Vec<&&str> = state_ids.difference(&server_ids).collect();
    let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &server {
        *by_name
            .entry(t.name.as_deref().unwrap_or_default())
            .or_default() += 1;
    }
    let duplicate_names: Vec<(&str, usize)> = by_name
        .iter()
        .filter(|(_, c)| **c > 1)
        .map(|(k, c)| (*k, *c))
        .collect();
    let shared_ids = state.len() - state_ids.len();
    let marked: Vec<&str> = server
        .iter()
        .filter(|t| {
            t.description
                .as_deref()
                .unwrap_or_default()
                .starts_with(CREATE_MARKER)
        })
        .map(|t| t.id.as_str())
        .collect();
    let stale_secrets: Vec<&str> = state
        .iter()
        .filter(|(_, (id, secret))| {
            server
                .iter()
                .find(|t| &t.id == id)
                .is_none_or(|t| &t.secret != secret)
        })
        .map(|(addr, _)| addr.as_str())
        .collect();
    let count = |f: &dyn Fn(&RequestRecord) -> bool| o.requests.iter().filter(|r| f(r)).count();
    println!(
        "fault matrix [{}]: tokens={n} applies={} (failed {}) server={} state={} orphans={} missing={} duplicates={} \
         requests={} posts={} resets={} 429s={} 5xx={} dropped={} elapsed={:.1}s",
        s.name,
        o.applies,
        o.failed_applies,
        server.len(),
        state.len(),
        orphans.len(),
        missing.len(),
        duplicate_names.len() + shared_ids,
        o.requests.len(),
        count(&|r| r.method == "POST" && r.path == "/api/v2/tokens"),
        count(&|r| r.path.ends_with("/reset")),
        count(&|r| r.status == 429),
        count(&|r| r.status >= 500),
        count(&|r| r.dropped),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(state.len(), n, "{}: every instance is in state", s.name);
    assert!(orphans.is_empty(), "{}: orphans {orphans:?}", s.name);
    assert!(missing.is_empty(), "{}: missing {missing:?}", s.name);
    assert!(
        duplicate_names.is_empty(),
        "{}: duplicate names on the server {duplicate_names:?}",
        s.name
    );
    assert_eq!(shared_ids, 0, "{}: two instances share an ID", s.name);
    assert!(
        marked.is_empty(),
        "{}: create markers left on {marked:?}",
        s.name
    );
    assert!(
        stale_secrets.is_empty(),
        "{}: the state's secret is not the token's current one for {stale_secrets:?}",
        s.name
    );
}
