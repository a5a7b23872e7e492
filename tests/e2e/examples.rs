//! The shipped examples work as written: the quickstart (the README's main
//! command), the resource, data source and ephemeral resource examples, applied against the emulator with a
//! clean follow-up plan.

use crate::support::*;

fn example(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn quickstart_applies_plans_clean_and_destroys() {
    let lab = Lab::new(&example("examples/quickstart/main.tf"));
    let out = lab.apply();
    assert!(out.contains("2 added"), "{out}");
    lab.assert_server_matches_state();
    let ci = lab
        .server_tokens()
        .into_iter()
        .find(|t| t.name.as_deref() == Some("quickstart-ci"))
        .expect("ci token");
    assert!(ci.service_token);
    lab.assert_no_changes("quickstart");
    ok(
        lab.wd.run(&["destroy", "-auto-approve", "-no-color"]),
        "destroy",
    );
    assert!(lab.server_tokens().is_empty());
}

#[test]
fn resource_example_with_scheduled_rotation_plans_clean() {
    if !terraform_at_least(
        5,
        "the example uses plantimestamp(), which needs Terraform >= 1.5",
    ) {
        return;
    }
    let lab = Lab::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n{}",
        example("examples/resources/launchdarkly_access_token/resource.tf")
    ));
    lab.apply();
    assert_eq!(lab.server_tokens().len(), 3);
    lab.assert_server_matches_state();
    // Within the same month the trigger is stable: no perpetual diff.
    lab.assert_no_changes("scheduled rotation example");
}

#[test]
fn data_source_examples_apply() {
    let lab = Lab::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n{}\n{}",
        example("examples/data-sources/launchdarkly_access_token/data-source.tf"),
        example("examples/data-sources/launchdarkly_access_tokens/data-source.tf"),
    ));
    let seed = |name: &str, service: bool, created_days_ago: i64| {
        let now = lab.emu.now_ms();
        lab.emu
            .seed_token(launchdarkly_emulator::SeedToken {
                name: Some(name.into()),
                role: Some("writer".into()),
                service_token: service,
                creation_date: Some(now - created_days_ago * 86_400_000),
                ..Default::default()
            })
            .expect("seed")
    };
    seed("deploy-bot", false, 0);
    let ci = seed("ci-deploy", true, 0);
    seed("forgotten", false, 400);
    lab.apply();
    let o = lab.wd.run(&["output", "-json"]);
    let outputs: serde_json::Value = serde_json::from_slice(&o.stdout).expect("outputs");
    assert_eq!(outputs["deploy_role"]["value"], "writer");
    assert_eq!(
        outputs["stale_tokens"]["value"],
        serde_json::json!(["forgotten"]),
        "{outputs}"
    );
    assert_eq!(
        outputs["ci_token_ids"]["value"],
        serde_json::json!([ci.id]),
        "{outputs}"
    );
}

#[test]
fn ephemeral_resource_example_applies_and_leaves_no_token() {
    if !terraform_at_least(10, "ephemeral resources need Terraform >= 1.10") {
        return;
    }
    let lab = Lab::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n{}",
        example("examples/ephemeral-resources/launchdarkly_access_token/ephemeral-resource.tf")
    ));
    lab.apply();
    assert!(
        lab.server_tokens().is_empty(),
        "the ephemeral token is deleted when the run ends"
    );
    lab.assert_no_changes("ephemeral example");
}

#[test]
fn list_resource_example_runs_with_terraform_query() {
    if !terraform_at_least(14, "terraform query needs Terraform >= 1.14") {
        return;
    }
    let lab = Lab::without_resources();
    let wanted = lab
        .emu
        .seed_token(launchdarkly_emulator::SeedToken {
            name: Some("ci-deploy".into()),
            service_token: true,
            ..Default::default()
        })
        .expect("seed");
    let personal = lab
        .emu
        .seed_token(launchdarkly_emulator::SeedToken {
            name: Some("ci-laptop".into()),
            ..Default::default()
        })
        .expect("seed");
    lab.wd.write(
        "tokens.tfquery.hcl",
        &example("examples/list-resources/launchdarkly_access_token/list-resource.tfquery.hcl"),
    );
    let out = ok(lab.wd.run(&["query", "-no-color"]), "terraform query");
    assert!(out.contains(&wanted.id), "{out}");
    assert!(
        !out.contains(&personal.id),
        "service_token = true filters:\n{out}"
    );
}
