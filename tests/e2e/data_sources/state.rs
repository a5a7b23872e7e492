//! What the data sources leave in the state (token suffixes, never a secret), and a data
//! source that depends on a resource created in the same apply.

use super::{seed, tf, token_ids};
use crate::support::*;
use launchdarkly_emulator::SeedToken;

#[test]
fn no_secret_reaches_the_data_source_result_or_the_state_file() {
    let lab = Lab::new("");
    lab.emu
        .seed_tokens(
            30,
            SeedToken {
                member_email: Some("carol@x.test".into()),
                ..SeedToken::default()
            },
        )
        .expect("seed");
    let svc = seed(&lab, "svc", true, "admin");
    lab.wd.write(
        "main.tf",
        &tf(&format!(
            r#"data "launchdarkly_access_tokens" "all" {{
  show_all = true
}}
data "launchdarkly_access_token" "svc" {{
  id = "{}"
}}
output "all" {{
  value = data.launchdarkly_access_tokens.all
}}"#,
            svc.id
        )),
    );
    let out = lab.apply();
    let state = std::fs::read_to_string(lab.wd.path().join("terraform.tfstate"))
        .expect("terraform.tfstate");
    let tokens = lab.emu.tokens();
    assert!(tokens.len() >= 33);
    let all = &lab.state()["data.launchdarkly_access_tokens.all"];
    assert_eq!(token_ids(all).len(), tokens.len(), "show_all sees them all");
    for t in &tokens {
        assert!(t.secret.len() > 8);
        assert!(
            !state.contains(&t.secret),
            "secret of {} in the state",
            t.id
        );
        assert!(!out.contains(&t.secret), "secret of {} in the output", t.id);
        assert!(
            state.contains(&format!(
                "\"token_suffix\": \"{}\"",
                &t.secret[t.secret.len() - 4..]
            )),
            "suffix of {} in the state",
            t.id
        );
    }
}

#[test]
fn data_source_depending_on_a_new_resource_reads_it_during_apply() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "t" {
  name = "fresh"
  role = "reader"
}
data "launchdarkly_access_token" "x" {
  id = launchdarkly_access_token.t.id
}
data "launchdarkly_access_tokens" "fresh" {
  name = launchdarkly_access_token.t.name
}"#));
    let (code, plan) = lab.plan_code();
    assert_eq!(code, 2, "{plan}");
    assert!(
        plan.contains("data.launchdarkly_access_token.x will be read during apply"),
        "read deferred to apply:\n{plan}"
    );
    lab.apply();
    let created = lab.server_tokens();
    assert_eq!(created.len(), 1);
    let st = lab.state();
    assert_eq!(
        st["data.launchdarkly_access_token.x"]["id"],
        created[0].id.as_str()
    );
    assert_eq!(st["data.launchdarkly_access_token.x"]["name"], "fresh");
    assert_eq!(
        token_ids(&st["data.launchdarkly_access_tokens.fresh"]),
        vec![created[0].id.clone()]
    );
    lab.assert_no_changes("after the resource and its data sources");
}
