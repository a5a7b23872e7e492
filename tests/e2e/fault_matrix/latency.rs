//! The latency scenario: a 2 s-latency API with `http_timeout = 1`, the latency lifted
//! once the first create's outcome is unknown (or kept with `LD_SLOW_EVIDENCE=1`), then
//! re-applied until it converges.

use super::{
    Scenario, apply_args, converge_after_failed_first_apply, read_in_background, slow_evidence,
    start, token_count,
};
use crate::support::*;
use launchdarkly_emulator::Faults;
use std::io::BufRead;
use std::process::Stdio;

#[test]
fn fault_matrix_2s_latency_with_a_1s_http_timeout() {
    if !provider_evidence_runs_here("the latency scenario") {
        return;
    }
    let n = token_count();
    let s = Scenario {
        name: "2 s latency, http_timeout = 1",
        faults: Faults {
            latency_ms: 2_000,
            ..Faults::default()
        },
        // Every create in flight at once, so all of them meet the latency.
        provider: "  http_timeout    = 1\n  max_concurrency = 1000",
        parallelism: n,
        max_applies: 2,
        exercised: |_, first| {
            if first.contains("timed out") {
                Ok(())
            } else {
                Err("no attempt timed out".into())
            }
        },
    };
    let (started, lab) = start(&s, n);

    // The first apply, with the provider's warnings on stderr: the first "create outcome
    // unknown" means the creates have timed out; then the latency is lifted (unless
    // LD_SLOW_EVIDENCE=1 keeps it for the whole apply).
    let slow = slow_evidence();
    let args = apply_args(s.parallelism);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = lab
        .wd
        .command(&args, &[("TF_LOG_PROVIDER", "warn")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("terraform apply");
    let out_reader = read_in_background(child.stdout.take().expect("stdout"));
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let err_reader = std::thread::spawn(move || {
        let mut all = String::new();
        let mut tx = Some(tx);
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("create outcome unknown") {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(());
                }
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let saw_timeout = rx.recv().is_ok();
    if !slow {
        lab.emu.set_faults(Faults::default());
    }
    let status = child.wait().expect("wait for terraform");
    let first = format!(
        "{}{}",
        out_reader.join().unwrap_or_default(),
        err_reader.join().unwrap_or_default()
    );
    assert!(saw_timeout, "no create timed out:\n{first}");
    assert!(
        !first.contains("plugin crashed") && !first.contains("panic:"),
        "{first}"
    );
    assert!(
        !status.success(),
        "creates that timed out must fail the apply:\n{first}"
    );
    let created_under_fault = lab.server_tokens().len();
    if slow {
        // Nothing got through the latency, and the failures ended within the budget.
        assert_eq!(created_under_fault, 0, "{first}");
        assert!(
            first.contains("no token was created")
                || first.contains("Failed to look for the token"),
            "{first}"
        );
    }
    println!(
        "fault matrix [{}]: first apply failed after {:.1}s ({} tokens created under the fault, slow evidence: {slow})",
        s.name,
        started.elapsed().as_secs_f64(),
        created_under_fault
    );
    // The failed apply left nothing behind.
    lab.emu.set_faults(Faults::default());
    lab.assert_server_matches_state();

    converge_after_failed_first_apply(&lab, &s, n, first, started);
}
