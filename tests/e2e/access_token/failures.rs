//! When things go wrong: invalid configurations, a lost create response, API errors,
//! Ctrl-C during an update, and logs that never show a secret.

use super::*;

#[test]
fn invalid_configurations_fail_validate_with_paths_and_no_api_call() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("bad role", "role = \"owner\"", "Invalid role", "role"),
        ("no permissions", "", "Missing token permissions", ""),
        (
            "two kinds",
            "role = \"reader\"\n  custom_roles = [\"deployer\"]",
            "Conflicting token permissions",
            "custom_roles",
        ),
        (
            "resources and not_resources",
            "inline_roles {\n    effect = \"allow\"\n    resources = [\"a\"]\n    not_resources = [\"b\"]\n    actions = [\"*\"]\n  }",
            "Conflicting resources and not_resources",
            "not_resources",
        ),
        (
            "missing actions",
            "inline_roles {\n    effect = \"allow\"\n    resources = [\"a\"]\n  }",
            "Missing actions",
            // The attribute is absent, so Terraform highlights its block.
            "inline_roles",
        ),
        (
            "bad effect",
            "inline_roles {\n    effect = \"maybe\"\n    resources = [\"a\"]\n    actions = [\"*\"]\n  }",
            "Invalid effect",
            "effect",
        ),
        (
            "bad api version",
            "role = \"reader\"\n  default_api_version = 20200101",
            "Invalid default_api_version",
            "default_api_version",
        ),
        (
            // 0 is valid (v2's "no rotation", issue 12 item 4); beyond year 9999 is not.
            "huge expire",
            "role = \"reader\"\n  expire = 1e20",
            "Invalid expire",
            "expire",
        ),
        (
            "bad grace",
            "role = \"reader\"\n  rotation_grace_period = \"1 day\"",
            "Invalid rotation_grace_period",
            "rotation_grace_period",
        ),
    ];
    let lab = Lab::new(&tf(""));
    for (name, body, summary, snippet) in cases {
        lab.wd.write(
            "main.tf",
            &tf(&format!(
                "resource \"launchdarkly_access_token\" \"bad\" {{\n  name = \"bad\"\n  {body}\n}}"
            )),
        );
        let o = lab.wd.run(&["validate", "-json", "-no-color"]);
        assert!(!o.status.success(), "{name}: validate must fail");
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("validate -json");
        let diags = j["diagnostics"].as_array().cloned().unwrap_or_default();
        let d = diags
            .iter()
            .find(|d| d["summary"] == *summary)
            .unwrap_or_else(|| panic!("{name}: no {summary:?} diagnostic in {diags:?}"));
        let code = d["snippet"]["code"].as_str().unwrap_or_default();
        assert!(
            code.contains(snippet),
            "{name}: diagnostic must point at {snippet:?}, got snippet {code:?}"
        );
        let o = lab.wd.run(&["plan", "-no-color", "-input=false"]);
        assert!(
            !o.status.success() && text(&o).contains(summary),
            "{name}: plan must fail too"
        );
    }
    assert!(
        lab.emu.requests().is_empty(),
        "no API call for invalid configurations: {:?}",
        lab.emu.requests()
    );
}

#[test]
fn lost_create_response_ends_with_exactly_one_tracked_token() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "lost" {
  name = "lost"
  role = "reader"
}"#));
    let mut faults = lab.emu.faults();
    faults.lose_next_creates = 1;
    lab.emu.set_faults(faults);
    let out = lab.apply();
    assert!(out.contains("1 added"), "{out}");
    let server = lab.server_tokens();
    assert_eq!(server.len(), 1, "exactly one token, no blind second POST");
    let creates = lab
        .emu
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v2/tokens")
        .count();
    assert_eq!(creates, 1, "POST sent once");
    assert_eq!(
        lab.state()["launchdarkly_access_token.lost"]["token"],
        server[0].secret.as_str(),
        "adopted token's new secret in state"
    );
    lab.assert_server_matches_state();
    lab.assert_no_changes("after adopting a lost create");
}

#[test]
fn api_errors_name_status_code_message_and_fix_without_secrets() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "e" {
  name = "e"
  role = "reader"
}"#));
    // 401: a key LaunchDarkly does not know.
    let bogus = "api-00000000-dead-4bee-8f00-000000000000";
    let o = lab.wd.run_env(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &[("LAUNCHDARKLY_ACCESS_TOKEN", bogus)],
    );
    let out = text(&o);
    assert!(!o.status.success());
    assert!(out.contains("Failed to create access token \"e\""), "{out}");
    assert!(out.contains("401"), "status named:\n{out}");
    assert!(
        out.contains("LAUNCHDARKLY_ACCESS_TOKEN"),
        "the fix names the credential's source:\n{out}"
    );
    assert!(!out.contains(bogus), "the credential is not echoed");

    // 403: a reader token may not manage tokens.
    let reader = lab
        .emu
        .seed_token(launchdarkly_emulator::SeedToken {
            name: Some("weak".into()),
            role: Some("reader".into()),
            ..Default::default()
        })
        .expect("seed");
    let o = lab.wd.run_env(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &[("LAUNCHDARKLY_ACCESS_TOKEN", reader.secret.as_str())],
    );
    let out = text(&o);
    assert!(!o.status.success());
    assert!(out.contains("403"), "{out}");
    assert!(
        !out.contains(reader.secret.as_str()),
        "the credential is not echoed"
    );
    assert_eq!(
        lab.server_tokens().len(),
        1,
        "nothing was created (only the seeded reader token exists)"
    );
}

#[test]
fn ctrl_c_during_an_update_stops_cleanly_and_loses_nothing() {
    use std::os::unix::process::CommandExt;
    let cfg = |role: &str| {
        tf(&format!(
            "resource \"launchdarkly_access_token\" \"c\" {{\n  name = \"c\"\n  role = \"{role}\"\n}}"
        ))
    };
    let lab = Lab::new(&cfg("reader"));
    lab.apply();
    lab.wd.write("main.tf", &cfg("writer"));
    let mut faults = lab.emu.faults();
    faults.latency_ms = 4_000;
    lab.emu.set_faults(faults.clone());
    lab.emu.clear_requests();

    // Like a terminal: Terraform and the provider share a process group, and
    // Ctrl-C sends SIGINT to all of it.
    let mut cmd = std::process::Command::new(terraform_binary());
    cmd.args([
        "apply",
        "-auto-approve",
        "-refresh=false",
        "-input=false",
        "-no-color",
    ])
    .current_dir(lab.wd.path())
    .process_group(0)
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    for (k, v) in &lab.wd.env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("terraform apply");
    let pgid = child.id();
    // Wait until Terraform reports the update in progress (the PATCH is then
    // held by the emulator's latency), then press Ctrl-C.
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut all = String::new();
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if line.contains("Modifying...") {
                let _ = tx.send(line.clone());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    rx.recv_timeout(std::time::Duration::from_secs(60))
        .expect("the update started");
    // The PATCH has reached the emulator (it counts requests on arrival,
    // before the injected latency): the provider is inside ApplyResourceChange.
    let waiting = std::time::Instant::now();
    while lab.emu.peak_in_flight() == 0 && waiting.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(lab.emu.peak_in_flight() > 0, "the PATCH never arrived");
    let status = std::process::Command::new("kill")
        .args(["-s", "INT", "--", &format!("-{pgid}")])
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    let t = format!(
        "{}{}",
        reader.join().unwrap_or_default(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "interrupted apply fails:\n{t}");
    assert!(t.contains("Interrupt received"), "{t}");
    assert!(
        !t.contains("Plugin did not respond") && !t.contains("plugin crashed"),
        "the provider survived SIGINT:\n{t}"
    );
    assert!(
        t.contains("Operation cancelled"),
        "Stop cancelled the in-flight update:\n{t}"
    );

    faults.latency_ms = 0;
    lab.emu.set_faults(faults);
    // Nothing was lost: the token is still tracked and the next apply converges.
    lab.assert_server_matches_state();
    lab.apply();
    assert_eq!(lab.server_tokens()[0].role.as_deref(), Some("writer"));
    lab.assert_no_changes("after the interrupted apply");
}

#[test]
fn provider_logs_show_progress_but_never_token_secrets() {
    let lab = Lab::new(&tf(r#"resource "launchdarkly_access_token" "l" {
  name              = "logged"
  role              = "reader"
  rotation_triggers = { r = "1" }
}"#));
    let run = |lab: &Lab| {
        let o = lab.wd.run_env(
            &["apply", "-auto-approve", "-input=false", "-no-color"],
            &[("TF_LOG", "off"), ("TF_LOG_PROVIDER", "trace")],
        );
        let t = text(&o);
        assert!(o.status.success(), "{t}");
        t
    };
    let log = run(&lab);
    let first = lab.state()["launchdarkly_access_token.l"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(first.starts_with("api-"), "{first}");
    assert!(
        !log.contains(&first),
        "the created secret appeared in the logs"
    );
    assert!(
        log.contains("creating access token") && log.contains("access token created"),
        "progress is logged:\n{log}"
    );
    // TF_LOG_PROVIDER alone enables the provider's lines, not Terraform core's.
    assert!(
        !log.contains("[INFO]  backend/local"),
        "core logging stays off"
    );
    lab.wd.write(
        "main.tf",
        &tf(r#"resource "launchdarkly_access_token" "l" {
  name              = "logged"
  role              = "reader"
  rotation_triggers = { r = "2" }
}"#),
    );
    let log2 = run(&lab);
    assert!(log2.contains("rotating access token secret"), "{log2}");
    assert!(
        !log2.contains(&first),
        "the rotated-out secret appeared in the logs"
    );
    for t in lab.emu.tokens() {
        assert!(
            !log.contains(&t.secret) && !log2.contains(&t.secret),
            "a token secret appeared in the logs"
        );
        for old in &t.previous_keys {
            assert!(
                !log2.contains(&old.secret),
                "a previous secret appeared in the logs"
            );
        }
    }
}
