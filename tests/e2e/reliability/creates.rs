//! Ambiguous creates: a 502 before or after creating never adopts another workspace's
//! token, lost creates under a growing `count`, and a failed reset of an adopted token.

use super::tf;
use crate::support::*;
use launchdarkly_emulator::LostResponse;
use std::collections::BTreeSet;

fn shared_name(label: &str) -> String {
    format!(
        "resource \"launchdarkly_access_token\" \"{label}\" {{\n  name = \"shared-name\"\n  role = \"reader\"\n}}\n"
    )
}

fn server_ids(lab: &Lab) -> BTreeSet<String> {
    lab.server_tokens().into_iter().map(|t| t.id).collect()
}

fn ids_in(wds: &[&Workdir]) -> BTreeSet<String> {
    wds.iter()
        .flat_map(|wd| tokens_in(wd).into_values().map(|(id, _)| id))
        .collect()
}

#[test]
fn an_ambiguous_create_never_adopts_another_workspace_s_token() {
    // Workspace A creates "shared-name"; workspace B, with the same admin key, creates its
    // own "shared-name" while the API answers 502 — before creating, then after creating.
    let lab = Lab::new(&tf(&shared_name("a")));
    lab.apply();
    let (a_id, a_secret) = tokens_in(&lab.wd)["launchdarkly_access_token.a"].clone();
    let b = lab.second_workdir(&tf(&shared_name("b")));

    // 502 that created nothing: B fails clearly and touches nothing of A's.
    let mut faults = lab.emu.faults();
    faults.fail_next_creates = 1;
    faults.error_status = 502;
    lab.emu.set_faults(faults);
    let o = b.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let out = text(&o);
    assert!(!o.status.success(), "B's create must fail:\n{out}");
    assert!(out.contains("no token was created"), "{out}");
    assert!(out.contains("502"), "the status is named:\n{out}");
    assert!(!out.contains(&a_id), "A's token is not a candidate:\n{out}");
    assert!(tokens_in(&b).is_empty(), "B adopted nothing");
    assert_eq!(server_ids(&lab), BTreeSet::from([a_id.clone()]));
    assert!(lab.key_works(&a_secret), "A's secret was not rotated");
    assert_eq!(
        lab.emu
            .requests()
            .iter()
            .filter(|r| r.path.ends_with("/reset"))
            .count(),
        0,
        "no reset was sent"
    );

    // Rerun: B gets its own token.
    apply_in(&b);
    let (b_id, b_secret) = tokens_in(&b)["launchdarkly_access_token.b"].clone();
    assert_ne!(b_id, a_id);

    // 502 after creating: B adopts the token its own request made, and only that one.
    b.write(
        "main.tf",
        &tf(&format!("{}{}", shared_name("b"), shared_name("b2"))),
    );
    let mut faults = lab.emu.faults();
    faults.lose_next_creates = 1;
    faults.lost_create_mode = LostResponse::ServerError;
    lab.emu.set_faults(faults);
    let out = apply_in(&b);
    assert!(out.contains("1 added"), "{out}");
    let (b2_id, b2_secret) = tokens_in(&b)["launchdarkly_access_token.b2"].clone();
    assert!(b2_id != a_id && b2_id != b_id, "b2 has a token of its own");
    assert!(lab.key_works(&a_secret) && lab.key_works(&b_secret));
    assert!(lab.key_works(&b2_secret), "b2's reset secret works");
    let b2 = lab
        .server_tokens()
        .into_iter()
        .find(|t| t.id == b2_id)
        .expect("b2 on the server");
    assert_eq!(
        b2.description.as_deref().unwrap_or_default(),
        "",
        "the create marker was replaced by the configured (empty) description"
    );
    assert_eq!(server_ids(&lab), ids_in(&[&lab.wd, &b]));
    lab.assert_no_changes("workspace A after B's faults");
    assert_no_changes_in(&b, "workspace B after adopting its own token");
}

#[test]
fn growing_a_count_under_lost_creates_gives_each_instance_its_own_token() {
    let cfg = |n: u32| {
        tf(&format!(
            "resource \"launchdarkly_access_token\" \"svc\" {{\n  count = {n}\n  name = \"svc\"\n  role = \"reader\"\n}}"
        ))
    };
    let lab = Lab::new(&cfg(1));
    lab.apply();
    let (id0, secret0) = tokens_in(&lab.wd)["launchdarkly_access_token.svc[0]"].clone();
    lab.wd.write("main.tf", &cfg(3));
    let mut faults = lab.emu.faults();
    faults.lose_next_creates = 2;
    lab.emu.set_faults(faults);
    let out = lab.apply();
    assert!(out.contains("2 added"), "{out}");
    let tokens = tokens_in(&lab.wd);
    let ids: BTreeSet<&str> = tokens.values().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids.len(), 3, "three instances, three tokens: {tokens:?}");
    assert_eq!(tokens["launchdarkly_access_token.svc[0]"].0, id0);
    assert!(lab.key_works(&secret0), "svc[0]'s secret was not rotated");
    for (_, secret) in tokens.values() {
        assert!(lab.key_works(secret));
    }
    lab.assert_server_matches_state();
    lab.assert_no_changes("after two lost creates");
}

#[test]
fn a_failed_reset_of_an_adopted_token_leaves_no_orphan() {
    let lab = Lab::new(&tf(
        "resource \"launchdarkly_access_token\" \"t\" {\n  name = \"t\"\n  role = \"reader\"\n}",
    ));
    let mut faults = lab.emu.faults();
    faults.lose_next_creates = 1;
    faults.fail_next_resets = 1;
    lab.emu.set_faults(faults);
    let out = lab.failed_apply();
    assert!(
        out.contains("Failed to reset the secret of adopted access token"),
        "{out}"
    );
    assert!(
        out.contains("tainted"),
        "the message says what happens next:\n{out}"
    );
    // The token the create made is tracked (tainted), not orphaned.
    lab.assert_server_matches_state();
    assert_eq!(lab.server_tokens().len(), 1);
    let (code, plan) = lab.plan_code();
    assert_eq!(
        code, 2,
        "the tainted token is planned for replacement:\n{plan}"
    );
    assert!(plan.contains("tainted"), "{plan}");
    lab.apply();
    assert_eq!(lab.server_tokens().len(), 1, "replaced, not duplicated");
    lab.assert_server_matches_state();
    let (_, secret) = tokens_in(&lab.wd)["launchdarkly_access_token.t"].clone();
    assert!(lab.key_works(&secret));
    lab.assert_no_changes("after replacing the tainted token");
}
