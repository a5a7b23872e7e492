//! Ctrl-C mid-apply (issue 14 evidence): `terraform apply` of 50 tokens (`LD_FAULT_TOKENS`
//! to change it), slowed by the emulator's latency, gets SIGINT on its whole process group
//! (as a terminal's Ctrl-C delivers it: Terraform and the provider alike) once some tokens
//! exist. Terraform must stop without "plugin crashed", and a re-run without the latency
//! must converge: server set == state set, no orphans, no duplicates (the fault matrix's
//! checks, reused), then a no-change plan. Runs once per CI, like the fault matrix.

use crate::fault_matrix::{
    Scenario, apply_args, converge_after_failed_first_apply, read_in_background, start, token_count,
};
use crate::support::*;
use launchdarkly_emulator::Faults;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Tokens that must exist on the server before the interrupt.
const CREATED_BEFORE_INTERRUPT: usize = 5;

#[test]
fn ctrl_c_mid_apply_of_50_tokens_stops_cleanly_and_the_rerun_converges() {
    if !provider_evidence_runs_here("the Ctrl-C scenario") {
        return;
    }
    let n = token_count();
    let s = Scenario {
        name: "Ctrl-C mid-apply",
        faults: Faults {
            latency_ms: 300,
            ..Faults::default()
        },
        provider: "  max_concurrency = 10",
        parallelism: 10,
        max_applies: 3,
        exercised: |reqs, first| {
            if !reqs
                .iter()
                .any(|r| r.method == "POST" && r.path == "/api/v2/tokens")
            {
                return Err("no create was sent".into());
            }
            if first.contains("Interrupt received") {
                Ok(())
            } else {
                Err("Terraform did not report the interrupt".into())
            }
        },
    };
    let (started, lab) = start(&s, n);

    let args = apply_args(s.parallelism);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = lab
        .wd
        .command(&args, &[])
        // Its own process group, so the signal reaches Terraform and its provider plugin
        // and nothing else (the test harness is not in it).
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("terraform apply");
    let pgid = child.id();
    let out_reader = read_in_background(child.stdout.take().expect("stdout"));
    let err_reader = read_in_background(child.stderr.take().expect("stderr"));

    // Poll the emulator's state (no fixed sleeps decide anything) until some creates are
    // done; the bound only turns a hang into a failure.
    let give_up = Instant::now() + Duration::from_secs(300);
    let before = loop {
        let created = lab.server_tokens().len();
        if created >= CREATED_BEFORE_INTERRUPT {
            break created;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "the apply ended ({status}) before {CREATED_BEFORE_INTERRUPT} tokens existed:\n{}{}",
                out_reader.join().unwrap_or_default(),
                err_reader.join().unwrap_or_default()
            );
        }
        assert!(
            Instant::now() < give_up,
            "no {CREATED_BEFORE_INTERRUPT} tokens after 300 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let sent = Command::new("kill")
        .args(["-INT", "--", &format!("-{pgid}")])
        .status()
        .expect("kill");
    assert!(sent.success(), "SIGINT to the process group");
    let status = child.wait().expect("wait for terraform");
    let first = format!(
        "{}{}",
        out_reader.join().unwrap_or_default(),
        err_reader.join().unwrap_or_default()
    );
    assert!(
        !first.contains("plugin crashed") && !first.contains("panic:"),
        "{first}"
    );
    let after = lab.server_tokens().len();
    let in_state = tokens_in(&lab.wd).len();
    println!(
        "interrupt: tokens={n} created before SIGINT={before} on the server after the interrupted apply={after} \
         in state={in_state} exit={status} elapsed={:.1}s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        !status.success(),
        "an interrupted apply reports failure:\n{first}"
    );
    assert!(after < n, "the apply really was cut short:\n{first}");

    // The re-run, without latency, must converge with nothing orphaned or duplicated.
    lab.emu.set_faults(Faults::default());
    converge_after_failed_first_apply(&lab, &s, n, first, started);
}
