//! Server limits met through Terraform: a huge `Retry-After` and an oversized list
//! response end the plan with one clear error, not a crash.

use super::tf;
use crate::support::*;

#[test]
fn a_huge_retry_after_ends_the_plan_with_a_rate_limit_error_not_a_crash() {
    let lab = Lab::new(&tf(
        "resource \"launchdarkly_access_token\" \"t\" {\n  name = \"t\"\n  role = \"reader\"\n}",
    ));
    lab.apply();
    lab.emu.set_faults(launchdarkly_emulator::Faults {
        rate_limit: Some(0),
        rate_limit_window_ms: 60_000,
        rate_limit_style: launchdarkly_emulator::RateLimitStyle::RetryAfter,
        retry_after_secs: Some(i64::MAX as u64),
        ..Default::default()
    });
    let o = lab.wd.run(&["plan", "-input=false", "-no-color"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("429"), "the rate limit is named:\n{out}");
    assert!(!out.contains("plugin crashed"), "{out}");
    assert!(!out.contains("panic"), "{out}");
    lab.emu.set_faults(launchdarkly_emulator::Faults::default());
    lab.assert_server_matches_state();
    lab.assert_no_changes("after the rate-limited plan");
}

/// Issue 14 defect 3, through Terraform: the client reads at most 8 MiB of a response. An
/// oversized list answer (64 MiB, valid JSON, honest `Content-Length`) fails the plan of the
/// plural data source with one error naming the operation and the cap, after one request,
/// and no crash; the next plan reads normally.
#[test]
fn an_oversized_list_response_fails_the_plan_with_one_clear_error() {
    let lab = Lab::new(&tf("data \"launchdarkly_access_tokens\" \"all\" {}"));
    lab.emu.set_faults(launchdarkly_emulator::Faults {
        oversize_next_lists: 1,
        ..Default::default()
    });
    let o = lab.wd.run(&["plan", "-input=false", "-no-color"]);
    let out = text(&o);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    eprintln!("{out}");
    assert!(!o.status.success(), "{out}");
    assert!(
        flat.contains("list access tokens: the response body exceeds 8 MiB (HTTP 200)"),
        "names the operation and the cap:\n{out}"
    );
    assert_eq!(flat.matches("Error:").count(), 1, "one error:\n{out}");
    assert!(!out.contains("plugin crashed"), "{out}");
    assert!(!out.contains("panic"), "{out}");
    let lists = |lab: &Lab| {
        lab.emu
            .requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path == "/api/v2/tokens")
            .count()
    };
    assert_eq!(
        lists(&lab),
        1,
        "not retried: the body would be as large again"
    );
    assert_eq!(lab.emu.faults().oversize_next_lists, 0, "the knob was used");
    ok(
        lab.wd.run(&["plan", "-input=false", "-no-color"]),
        "the next plan",
    );
    assert_eq!(lists(&lab), 2);
}
