//! `launchdarkly_access_tokens` and `launchdarkly_access_token` through the
//! real Terraform against the emulator. Expected results are computed from
//! the emulator's own token list (`lab.emu.tokens()`), including the admin
//! tokens it seeds for itself, which the admin key can see too.

mod listing;
mod singular;
mod state;

use crate::support::*;
use launchdarkly_emulator::{ADMIN_MEMBER_ID, EmulatedToken, SeedToken};
use serde_json::Value as J;

fn tf(body: &str) -> String {
    format!("{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\n{body}\n")
}

fn seed(lab: &Lab, name: &str, service: bool, role: &str) -> EmulatedToken {
    lab.emu
        .seed_token(SeedToken {
            name: Some(name.into()),
            service_token: service,
            role: Some(role.into()),
            ..SeedToken::default()
        })
        .expect("seed")
}

/// IDs of the emulator's tokens the admin key sees (`show_all` as given)
/// that pass `keep`, in the data source's order (creation date, then ID).
fn expected(lab: &Lab, show_all: bool, keep: impl Fn(&EmulatedToken) -> bool) -> Vec<String> {
    let mut v: Vec<EmulatedToken> = lab
        .emu
        .tokens()
        .into_iter()
        .filter(|t| show_all || t.service_token || t.member_id == ADMIN_MEMBER_ID)
        .filter(|t| keep(t))
        .collect();
    v.sort_by(|a, b| (a.creation_date, &a.id).cmp(&(b.creation_date, &b.id)));
    v.into_iter().map(|t| t.id).collect()
}

fn strings(v: &J) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn token_ids(v: &J) -> Vec<String> {
    v["tokens"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| t["id"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn apply_fails(lab: &Lab) -> String {
    let o = lab
        .wd
        .run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let t = text(&o);
    assert!(!o.status.success(), "apply should have failed:\n{t}");
    t
}
