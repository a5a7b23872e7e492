//! Data safety on unhappy paths, through the real Terraform against the emulator. Each
//! scenario ends with the server's tokens equal to the state's and a clean plan.

use crate::support::*;

fn tf(resources: &str) -> String {
    format!("{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\n{resources}\n")
}

#[test]
fn a_huge_retry_after_ends_the_plan_with_a_rate_limit_error_not_a_crash() {
    let lab = Lab::new(&tf(
        "resource \"launchdarkly_access_token\" \"t\" {\n  name = \"t\"\n  role = \"reader\"\n}",
    ));
    lab.apply();
    lab.emu.set_faults(tfld::emulator::Faults {
        rate_limit: Some(0),
        rate_limit_window_ms: 60_000,
        rate_limit_style: tfld::emulator::RateLimitStyle::RetryAfter,
        retry_after_secs: Some(i64::MAX as u64),
        ..Default::default()
    });
    let o = lab.wd.run(&["plan", "-input=false", "-no-color"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("429"), "the rate limit is named:\n{out}");
    assert!(!out.contains("plugin crashed"), "{out}");
    assert!(!out.contains("panic"), "{out}");
    lab.emu.set_faults(tfld::emulator::Faults::default());
    lab.assert_server_matches_state();
    lab.assert_no_changes("after the rate-limited plan");
}
