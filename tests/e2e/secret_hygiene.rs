//! Secret hygiene over a whole lifecycle (issue 14), through the real Terraform under
//! `TF_LOG=trace` with `TF_LOG_PATH`: create, plan, update, rotation by `rotation_triggers`
//! and by `expire`, import, both data sources, outputs, `show`, a lost create response
//! (adopt and reset), API errors (a failed rotation, a 502 create, 401, 403, a foreign 404)
//! and destroy. Every secret that existed along the way — the provider's credential (the
//! emulator's admin keys), a bogus key, and every token secret, current or rotated out,
//! read from the emulator and from the state — must be absent from every trace log, every
//! plan and apply output and every error text.

mod ephemeral;
mod lifecycle;

use crate::support::*;
use std::collections::BTreeSet;
use std::process::Output;

struct Recorder<'a> {
    lab: &'a Lab,
    /// Every secret seen so far.
    secrets: BTreeSet<String>,
    /// (what, text): every output and every trace log.
    corpus: Vec<(String, String)>,
    runs: usize,
}

impl Recorder<'_> {
    /// Every secret the emulator holds (current and previous), and the state's.
    fn harvest(&mut self, with_state: bool) {
        for t in self.lab.emu.tokens() {
            self.secrets.insert(t.secret.clone());
            for p in &t.previous_keys {
                self.secrets.insert(p.secret.clone());
            }
        }
        if with_state {
            for (_, secret) in tokens_in(&self.lab.wd).into_values() {
                if !secret.is_empty() {
                    self.secrets.insert(secret);
                }
            }
        }
    }

    /// Runs `terraform args` with trace logging to a fresh file; records its output and log.
    fn run(&mut self, what: &str, args: &[&str], extra: &[(&str, &str)]) -> Output {
        self.runs += 1;
        let log = self.lab.wd.path().join(format!("trace-{}.log", self.runs));
        let log_path = log.display().to_string();
        let mut env: Vec<(&str, &str)> = vec![("TF_LOG", "trace"), ("TF_LOG_PATH", &log_path)];
        env.extend_from_slice(extra);
        let o = self.lab.wd.run_env(args, &env);
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(
            logged.contains("[TRACE]"),
            "{what}: TF_LOG_PATH holds no trace log"
        );
        self.corpus.push((format!("{what} (output)"), text(&o)));
        self.corpus.push((format!("{what} (TF_LOG_PATH)"), logged));
        self.harvest(false);
        o
    }

    fn ok(&mut self, what: &str, args: &[&str]) -> String {
        let o = self.run(what, args, &[]);
        let t = text(&o);
        assert!(o.status.success(), "{what} failed:\n{t}");
        t
    }

    fn apply(&mut self, what: &str) -> String {
        let out = self.ok(
            what,
            &["apply", "-auto-approve", "-input=false", "-no-color"],
        );
        self.harvest(true);
        out
    }

    fn fails(&mut self, what: &str, args: &[&str], extra: &[(&str, &str)]) -> String {
        let o = self.run(what, args, extra);
        let t = text(&o);
        assert!(!o.status.success(), "{what} must fail:\n{t}");
        t
    }

    /// Every output and log so far, joined (for "was it logged at all" checks).
    fn everything(&self) -> String {
        self.corpus
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}
