//! Data safety on unhappy paths, through the real Terraform against the emulator: ambiguous
//! creates never adopt someone else's token (reliability defect 6), a failed reset of an
//! adopted token leaves no orphan (defect 8), a wrong `api_host` never empties the state
//! (defect 7), and a saved plan applies after a change in the UI (correctness item 1).
//! Each scenario ends with the server's tokens equal to the state's and a clean plan.

use crate::support::*;
use launchdarkly_emulator::LostResponse;
use std::collections::BTreeSet;

fn tf(resources: &str) -> String {
    format!("{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\n{resources}\n")
}

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
    let o = lab
        .wd
        .run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
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

#[test]
fn a_wrong_api_host_never_empties_the_state() {
    let body =
        "resource \"launchdarkly_access_token\" \"t\" {\n  name = \"t\"\n  role = \"reader\"\n}";
    let lab = Lab::new(&tf(body));
    lab.apply();
    let before = tokens_in(&lab.wd);
    let base = lab.emu.base_url();

    // A path in api_host (config or environment) is rejected before any request.
    lab.wd.write(
        "main.tf",
        &format!(
            "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{\n  api_host = \"{base}/api/v2\"\n}}\n\n{body}\n"
        ),
    );
    lab.emu.clear_requests();
    let o = lab
        .wd
        .run(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("must not contain a path"), "{out}");
    assert!(out.contains("api_host"), "the attribute is named:\n{out}");
    assert!(lab.emu.requests().is_empty(), "no request was sent");
    lab.wd.write("main.tf", &tf(body));
    let path_host = format!("{base}/api/v2");
    let o = lab.wd.run_env(
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
        &[("LAUNCHDARKLY_API_HOST", path_host.as_str())],
    );
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("must not contain a path"), "{out}");
    assert_eq!(tokens_in(&lab.wd), before, "the state is untouched");

    // A 404 that is not LaunchDarkly's not-found answer is an error, not "deleted".
    let mut faults = lab.emu.faults();
    faults.error_rate = 1.0;
    faults.error_status = 404;
    lab.emu.set_faults(faults);
    let o = lab
        .wd
        .run(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("404"), "{out}");
    assert!(
        out.contains("api_host"),
        "the hint points at api_host:\n{out}"
    );
    assert!(!out.contains("Destroy complete"), "{out}");
    lab.emu.set_faults(launchdarkly_emulator::Faults::default());
    assert_eq!(tokens_in(&lab.wd), before, "the state is untouched");
    lab.assert_server_matches_state();
    lab.assert_no_changes("after the failed destroys");
}

#[test]
fn a_saved_plan_applies_after_a_change_in_the_ui() {
    let lab = Lab::new(&tf(
        "variable \"name\" {\n  type = string\n}\n\nresource \"launchdarkly_access_token\" \"s\" {\n  name = var.name\n  role = \"reader\"\n}",
    ));
    ok(
        lab.wd.run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-var",
            "name=saved-1",
        ]),
        "apply",
    );
    ok(
        lab.wd.run(&[
            "plan",
            "-input=false",
            "-no-color",
            "-var",
            "name=saved-2",
            "-out",
            "p.bin",
        ]),
        "plan -out",
    );
    let (id, _) = tokens_in(&lab.wd)["launchdarkly_access_token.s"].clone();
    // Someone changes the role and the description in the UI after the plan.
    lab.rt
        .block_on(lab.admin_client().patch_token(
            &id,
            &[
                tfld::models::PatchOperation::replace("/role", "writer"),
                tfld::models::PatchOperation::replace("/description", "changed in the UI"),
            ],
        ))
        .expect("UI change");
    let out = ok(
        lab.wd.run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "p.bin",
        ]),
        "apply of the saved plan",
    );
    assert!(!out.contains("inconsistent result"), "{out}");
    let server = lab.server_tokens();
    assert_eq!(server.len(), 1);
    assert_eq!(server[0].name.as_deref(), Some("saved-2"));
    assert_eq!(server[0].role.as_deref(), Some("reader"), "the plan wins");
    assert_eq!(server[0].description.as_deref().unwrap_or_default(), "");
    lab.assert_server_matches_state();
    let o = lab.wd.run(&[
        "plan",
        "-detailed-exitcode",
        "-input=false",
        "-no-color",
        "-var",
        "name=saved-2",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

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

/// Issue 12 item 8: a refused connection to `api_host` used to be retried for ~45 s. Now the
/// plan of a data source fails after two quick retries with one error naming what failed,
/// the host, how often it was tried and the fix.
#[test]
fn a_closed_api_host_port_fails_the_plan_at_once_naming_host_and_fix() {
    // A loopback port nothing listens on: bind an ephemeral port, take it, free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let host = format!("http://127.0.0.1:{port}");
    let wd = Workdir::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{\n  api_host     = \"{host}\"\n  access_token = \"api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b\"\n}}\n\n\
         data \"launchdarkly_access_tokens\" \"all\" {{}}\n"
    ));
    let o = wd.run(&["plan", "-input=false", "-no-color"]);
    let out = text(&o);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    eprintln!("{out}");
    assert!(!o.status.success(), "{out}");
    assert!(
        flat.contains("list access tokens failed after 3 attempt(s)"),
        "{out}"
    );
    assert!(
        flat.contains(&format!("connection refused by {host}")),
        "names the host:\n{out}"
    );
    assert!(
        flat.contains("retried only 2 times"),
        "says how often:\n{out}"
    );
    assert!(flat.contains("Check api_host"), "names the fix:\n{out}");
    assert!(
        !out.contains("0b6f8a1e"),
        "the credential is not echoed:\n{out}"
    );
    assert!(!out.contains("plugin crashed"), "{out}");
    assert_eq!(
        flat.matches("connection refused by").count(),
        1,
        "one error:\n{out}"
    );
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
