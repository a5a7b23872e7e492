//! Hygiene of ephemeral tokens: any secret-shaped string in a trace log or an output of
//! a run that opens them counts as a leak.

use super::Recorder;
use crate::support::*;
use std::collections::BTreeSet;

/// Ephemeral tokens (Terraform ≥ 1.10) under `TF_LOG=trace`: their secrets live only
/// during a run and are deleted with it, so instead of a list of known secrets every
/// secret-shaped string (`api-<uuid>`, the emulator's shape, the credential's included)
/// found in a trace log or an output counts as a leak.
#[test]
fn no_ephemeral_token_secret_reaches_logs_plans_or_outputs() {
    if !crate::ephemeral::supports_ephemeral() {
        return;
    }
    let lab = Lab::new(&format!("{REQUIRED_PROVIDERS}{}", crate::ephemeral::CONFIG));
    let mut r = Recorder {
        lab: &lab,
        secrets: BTreeSet::new(),
        corpus: Vec::new(),
        runs: 0,
    };
    r.ok(
        "ephemeral plan",
        &["plan", "-input=false", "-no-color", "-out", "p.bin"],
    );
    r.ok(
        "ephemeral apply",
        &[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "p.bin",
        ],
    );
    let opened = lab
        .emu
        .requests()
        .iter()
        .filter(|q| q.method == "POST" && q.path == "/api/v2/tokens" && q.status == 201)
        .count();
    assert!(opened >= 2, "the plan and the apply each opened a token");
    assert!(
        r.corpus
            .iter()
            .any(|(_, t)| t.contains("OpenEphemeralResource")),
        "the trace logs cover the ephemeral calls"
    );
    let shape =
        regex::Regex::new(r"api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
            .expect("regex");
    let leaks: Vec<String> = r
        .corpus
        .iter()
        .filter_map(|(what, text)| {
            shape
                .find(text)
                .map(|m| format!("…{} in {what}", tfld::secret::last4(m.as_str())))
        })
        .collect();
    assert!(leaks.is_empty(), "secrets leaked: {leaks:#?}");
    let bytes: usize = r.corpus.iter().map(|(_, t)| t.len()).sum();
    println!(
        "secret hygiene (ephemeral): {opened} ephemeral tokens opened, {} outputs and trace logs ({} KiB) from {} terraform runs: 0 secret-shaped strings",
        r.corpus.len(),
        bytes / 1024,
        r.runs
    );
}
