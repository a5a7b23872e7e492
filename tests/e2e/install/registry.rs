//! Install from a provider registry serving the signed SHA256SUMS: `init` checks the
//! signature and records the `zh:` hash.

use super::{apply_and_destroy, init, lock_hashes, main_tf};
use crate::local_registry::{Package, Registry};
use crate::release::{SUMS, VERSION, ZIP, release, sums};
use crate::support::*;

#[test]
fn registry_install_verifies_the_signature_and_locks_the_zh_hash_of_sha256sums() {
    let r = release();
    let (Some(home), Some(key)) = (&r.gnupg, &r.key) else {
        println!("skipped: gpg is not installed, so the release is unsigned");
        return;
    };
    let armor = std::process::Command::new("gpg")
        .env("GNUPGHOME", home)
        .args(["--batch", "--armor", "--export", key])
        .output()
        .expect("gpg --export");
    assert!(armor.status.success(), "{}", text(&armor));
    let key_id = key[key.len() - 16..].to_owned();
    let Some(reg) = Registry::start(Package {
        namespace: "launchdarkly".into(),
        kind: "launchdarkly".into(),
        version: VERSION.into(),
        dist: r.out.clone(),
        zip: ZIP.into(),
        sums: SUMS.into(),
        key_armor: String::from_utf8_lossy(&armor.stdout).into_owned(),
        key_id: key_id.clone(),
    }) else {
        return;
    };
    let address = format!("{}/launchdarkly/launchdarkly", reg.host);
    let lab = Lab::new(&main_tf(&address));
    lab.wd
        .write("dev.tfrc", "provider_installation {\n  direct {}\n}\n");
    let cert = reg.cert.display().to_string();
    let env = [("SSL_CERT_FILE", cert.as_str())];
    let out = init(&lab.wd, &env);
    assert!(out.contains(&format!("key ID {key_id}")), "{out}");
    let hashes = lock_hashes(&lab.wd, &address);
    let zh = format!("zh:{}", sums(r)[ZIP]);
    assert!(
        hashes.contains(&zh),
        "init records the SHA256SUMS hash {zh}: {hashes:?}"
    );
    assert!(hashes.iter().any(|h| h.starts_with("h1:")), "{hashes:?}");
    let requested = reg.requests.lock().expect("requests").clone();
    for f in [ZIP.to_owned(), SUMS.to_owned(), format!("{SUMS}.sig")] {
        assert!(
            requested.contains(&format!("/files/{f}")),
            "Terraform fetched {f}: {requested:?}"
        );
    }
    apply_and_destroy(&lab, &env);
    println!("registry: signature by key ID {key_id} accepted, lock {hashes:?}");
}
