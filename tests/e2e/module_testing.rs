//! `examples/module-testing`: a module's own `terraform test` suite runs green against the
//! emulator preloaded from the example's `emulator-preload.json`, and its teardown leaves
//! only the preloaded token behind.

use std::path::Path;

use crate::support::*;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read example dir").flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy example file");
        }
    }
}

#[test]
fn module_testing_example_passes_terraform_test_against_the_preloaded_emulator() {
    let (maj, min, _) = terraform_version();
    if maj == 1 && min < 6 {
        println!("skipped: terraform test needs Terraform >= 1.6");
        return;
    }
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/module-testing");
    let lab = Lab::new("");
    copy_dir(&example, lab.wd.path());
    let preload = launchdarkly_emulator::Preload::load(&example.join("emulator-preload.json"))
        .expect("the example's preload file");
    lab.emu.preload(&preload).expect("preload");
    lab.emu.clear_requests();

    // dev_overrides installs no provider, so `terraform get` (modules only) stands for init.
    ok(lab.wd.run(&["get", "-no-color"]), "terraform get");
    let o = lab.wd.run(&["test", "-no-color"]);
    let out = text(&o);
    assert!(o.status.success(), "terraform test failed:\n{out}");
    assert!(out.contains("5 passed, 0 failed"), "{out}");

    let posts = |suffix: &str| {
        lab.emu
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with(suffix))
            .count()
    };
    assert_eq!(posts("/tokens"), 2, "one create per pipeline");
    assert_eq!(posts("/reset"), 2, "the rotation run resets both secrets");
    let left: Vec<String> = lab
        .server_tokens()
        .into_iter()
        .filter_map(|t| t.name)
        .collect();
    assert_eq!(
        left,
        vec!["existing-ci".to_owned()],
        "teardown destroys what the tests made"
    );
    println!(
        "module testing: {}",
        out.lines()
            .find(|l| l.contains("passed"))
            .unwrap_or_default()
    );
}
