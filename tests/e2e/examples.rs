//! The shipped examples work as written: the quickstart (the README's main
//! command) and the resource example, applied against the emulator with a
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
    let (maj, min, _) = terraform_version();
    if maj == 1 && min < 5 {
        println!("skipping: the example uses plantimestamp(), which needs Terraform >= 1.5");
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
    let (maj, min, _) = terraform_version();
    let mut tf = format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n{}",
        example("examples/data-sources/launchdarkly_access_token/data-source.tf")
    );
    let with_plural = maj > 1 || min >= 5;
    if with_plural {
        tf.push_str(&example(
            "examples/data-sources/launchdarkly_access_tokens/data-source.tf",
        ));
    } else {
        println!(
            "skipping the plural example: it uses plantimestamp(), which needs Terraform >= 1.5"
        );
    }
    let lab = Lab::new(&tf);
    lab.emu
        .seed_token(launchdarkly_emulator::SeedToken {
            name: Some("deploy-bot".into()),
            role: Some("writer".into()),
            ..Default::default()
        })
        .expect("seed");
    lab.apply();
    let o = lab.wd.run(&["output", "-json"]);
    let outputs: serde_json::Value = serde_json::from_slice(&o.stdout).expect("outputs");
    assert_eq!(outputs["deploy_role"]["value"], "writer");
    if with_plural {
        assert!(outputs["stale_tokens"]["value"].is_array(), "{outputs}");
        assert!(outputs["ci_token_ids"]["value"].is_array(), "{outputs}");
    }
}
