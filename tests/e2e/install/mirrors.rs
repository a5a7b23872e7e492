//! Installs from a filesystem mirror: the packed layout (the release zip as is, checked
//! against the SHA256SUMS hash in the lock file) and the unpacked layout.

use std::path::Path;

use super::{ADDR, apply_and_destroy, init, lock_hashes, main_tf, mirror_rc};
use crate::release::{VERSION, ZIP, release, sums};
use crate::support::*;

#[test]
fn packed_filesystem_mirror_installs_the_release_zip_checked_against_sha256sums() {
    let r = release();
    let zh = format!("zh:{}", sums(r)[ZIP]);
    let lab = Lab::new(&main_tf("launchdarkly/launchdarkly"));
    let mirror = lab.wd.path().join("mirror");
    let dir = mirror.join(ADDR);
    std::fs::create_dir_all(&dir).expect("mirror dir");
    std::fs::copy(r.out.join(ZIP), dir.join(ZIP)).expect("copy zip");
    lab.wd.write("dev.tfrc", &mirror_rc(&mirror, &[ADDR]));

    // A lock file whose zh: hash is not the zip's: init refuses the package.
    let lock = |hash: &str| {
        format!(
            "provider \"{ADDR}\" {{\n  version = \"{VERSION}\"\n  hashes = [\n    \"{hash}\",\n  ]\n}}\n"
        )
    };
    lab.wd.write(
        ".terraform.lock.hcl",
        &lock(&format!("zh:{}", "0".repeat(64))),
    );
    let refused = lab.wd.run(&["init", "-input=false", "-no-color"]);
    assert!(!refused.status.success(), "a wrong zh: hash must fail init");
    assert!(text(&refused).contains("checksum"), "{}", text(&refused));

    // The lock file a team commits after installing from the registry carries the
    // SHA256SUMS hash; the mirror's zip matches it and init adds the h1: hash.
    lab.wd.write(".terraform.lock.hcl", &lock(&zh));
    let out = init(&lab.wd, &[]);
    assert!(
        out.contains(&format!("Installed launchdarkly/launchdarkly v{VERSION}")),
        "{out}"
    );
    let hashes = lab_hashes(&lab);
    assert!(hashes.contains(&zh), "lock keeps {zh}: {hashes:?}");
    assert!(
        hashes.iter().any(|h| h.starts_with("h1:")),
        "init adds h1: {hashes:?}"
    );
    apply_and_destroy(&lab, &[]);
    println!("packed mirror: init ok, lock {hashes:?} carries the SHA256SUMS hash {zh}");
}

fn lab_hashes(lab: &Lab) -> Vec<String> {
    lock_hashes(&lab.wd, ADDR)
}

/// Unzips `zip` into `dest` (python3's zipfile, restoring the executable bit it drops).
fn unzip(zip: &Path, dest: &Path) {
    let o = std::process::Command::new("python3")
        .args([
            "-c",
            "import os, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor i in z.infolist():\n    p = z.extract(i, sys.argv[2])\n    os.chmod(p, (i.external_attr >> 16) & 0o777)",
        ])
        .arg(zip)
        .arg(dest)
        .output()
        .expect("python3");
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn unpacked_filesystem_mirror_installs_the_release_and_matches_the_packed_hash() {
    let r = release();
    let lab = Lab::new(&main_tf("launchdarkly/launchdarkly"));
    let mirror = lab.wd.path().join("mirror");
    let dir = mirror.join(ADDR).join(VERSION).join("linux_amd64");
    std::fs::create_dir_all(&dir).expect("mirror dir");
    unzip(&r.out.join(ZIP), &dir);
    lab.wd.write("dev.tfrc", &mirror_rc(&mirror, &[ADDR]));
    let out = init(&lab.wd, &[]);
    assert!(
        out.contains(&format!("Installed launchdarkly/launchdarkly v{VERSION}")),
        "{out}"
    );
    let unpacked = lab_hashes(&lab);
    assert!(
        unpacked.iter().any(|h| h.starts_with("h1:")),
        "{unpacked:?}"
    );
    apply_and_destroy(&lab, &[]);

    // The same lock file accepts the packed zip: both layouts hold the same package.
    let packed = lab.wd.path().join("packed");
    std::fs::create_dir_all(packed.join(ADDR)).expect("dir");
    std::fs::copy(r.out.join(ZIP), packed.join(ADDR).join(ZIP)).expect("copy");
    lab.wd.write("dev.tfrc", &mirror_rc(&packed, &[ADDR]));
    std::fs::remove_dir_all(lab.wd.path().join(".terraform")).expect("rm .terraform");
    init(&lab.wd, &[]);
    assert_eq!(
        lab_hashes(&lab),
        unpacked,
        "packed and unpacked: one h1: hash"
    );
    println!(
        "unpacked mirror: init + apply + destroy ok, lock {unpacked:?} also verifies the packed zip"
    );
}
