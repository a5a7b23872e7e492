//! `scripts/release.sh` writes HashiCorp's release layout: the zip holds exactly the
//! executable `terraform-provider-launchdarkly_v<version>` (mode 0755), the manifest is
//! `terraform-registry-manifest.json`, SHA256SUMS lists the zip and the manifest with their
//! real hashes, and the detached signature verifies with `gpg --verify`. The release made
//! here (once per test process, from the debug binary) is also what `install.rs` installs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::*;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const ZIP: &str = concat!(
    "terraform-provider-launchdarkly_",
    env!("CARGO_PKG_VERSION"),
    "_linux_amd64.zip"
);
pub const SUMS: &str = concat!(
    "terraform-provider-launchdarkly_",
    env!("CARGO_PKG_VERSION"),
    "_SHA256SUMS"
);

/// The release made once for this test process.
pub struct Release {
    /// The script's output directory.
    pub out: PathBuf,
    /// A throwaway GnuPG home holding the signing key, when gpg is installed.
    pub gnupg: Option<PathBuf>,
    /// The signing key's fingerprint.
    pub key: Option<String>,
    /// The binary released (a copy of the test build: other builds may replace that one).
    pub binary: PathBuf,
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `scripts/release.sh` with `args`, asserting success; returns its stdout lines.
pub fn release_sh(args: &[&str], gnupg: Option<&Path>) -> Vec<String> {
    let mut cmd = Command::new(repo().join("scripts/release.sh"));
    cmd.args(args);
    if let Some(g) = gnupg {
        cmd.env("GNUPGHOME", g);
    }
    let o = cmd.output().expect("run scripts/release.sh");
    let out = ok(o, "scripts/release.sh");
    out.lines()
        .filter(|l| l.starts_with('/'))
        .map(str::to_owned)
        .collect()
}

fn gpg(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new("gpg")
        .env("GNUPGHOME", home)
        .args(["--batch", "--no-tty"])
        .args(args)
        .output()
        .expect("run gpg")
}

pub fn gpg_installed() -> bool {
    Command::new("gpg").arg("--version").output().is_ok()
}

/// A new throwaway signing key (RSA 2048: Terraform 1.0's OpenPGP library has no EdDSA) in
/// a new GnuPG home; returns its fingerprint. The agent is stopped again right away.
pub fn throwaway_key(home: &Path) -> String {
    std::fs::create_dir_all(home).expect("gnupg home");
    let mut perms = std::fs::metadata(home).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o700);
    std::fs::set_permissions(home, perms).expect("chmod gnupg home");
    let made = gpg(
        home,
        &[
            "--passphrase",
            "",
            "--quick-gen-key",
            "Release Test <release@example.test>",
            "rsa2048",
            "sign",
            "never",
        ],
    );
    assert!(
        made.status.success(),
        "gpg --quick-gen-key: {}",
        text(&made)
    );
    let listed = gpg(home, &["--with-colons", "--list-secret-keys"]);
    String::from_utf8_lossy(&listed.stdout)
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9).map(str::to_owned))
        .expect("fingerprint of the new key")
}

/// Stops the gpg-agent a GnuPG home started (best effort).
pub fn stop_agent(home: &Path) {
    let _ = Command::new("gpgconf")
        .env("GNUPGHOME", home)
        .args(["--kill", "gpg-agent"])
        .output();
}

/// The release of the debug binary, signed with a throwaway key when gpg is installed. Made
/// once per test process under cargo's test tmpdir (directories of finished runs are removed).
pub fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
        if let Ok(entries) = std::fs::read_dir(base) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(pid) = name.strip_prefix("release-e2e-") {
                    if !Path::new("/proc").join(pid).exists() {
                        let _ = std::fs::remove_dir_all(e.path());
                    }
                }
            }
        }
        let dir = base.join(format!("release-e2e-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = dir.join("dist");
        let (gnupg, key) = if gpg_installed() {
            let home = dir.join("gnupg");
            let key = throwaway_key(&home);
            (Some(home), Some(key))
        } else {
            eprintln!("gpg is not installed: the release is made unsigned");
            (None, None)
        };
        let bin = dir.join("terraform-provider-launchdarkly");
        std::fs::create_dir_all(&dir).expect("release dir");
        std::fs::copy(provider_binary(), &bin).expect("copy the provider binary");
        let mut args = vec![
            "--binary",
            bin.to_str().expect("utf-8 path"),
            "--out",
            out.to_str().expect("utf-8 path"),
        ];
        if let Some(k) = &key {
            args.extend(["--gpg-key", k.as_str()]);
        }
        release_sh(&args, gnupg.as_deref());
        if let Some(h) = &gnupg {
            stop_agent(h);
        }
        Release {
            out,
            gnupg,
            key,
            binary: bin,
        }
    })
}

/// `sha256sum FILE` (hex).
pub fn sha256_hex(path: &Path) -> String {
    let o = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("run sha256sum");
    assert!(o.status.success(), "{}", text(&o));
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .next()
        .expect("hash")
        .to_owned()
}

/// The SHA256SUMS file as `file name → hex`.
pub fn sums(r: &Release) -> std::collections::BTreeMap<String, String> {
    std::fs::read_to_string(r.out.join(SUMS))
        .expect("read SHA256SUMS")
        .lines()
        .map(|l| {
            let (h, f) = l.split_once("  ").expect("`<hex>  <file>` lines");
            (f.to_owned(), h.to_owned())
        })
        .collect()
}

/// Name, mode and size of every entry of a zip (python3's zipfile, as the script's fallback).
fn zip_entries(zip: &Path) -> Vec<(String, u32, u64)> {
    let o = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.filename, (i.external_attr >> 16) & 0o777, i.file_size)",
        ])
        .arg(zip)
        .output()
        .expect("run python3");
    assert!(o.status.success(), "{}", text(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let mut p = l.split(' ');
            (
                p.next().unwrap_or_default().to_owned(),
                p.next().and_then(|m| m.parse().ok()).unwrap_or(0),
                p.next().and_then(|s| s.parse().ok()).unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn release_writes_the_zip_manifest_and_sha256sums_in_hashicorp_layout() {
    let r = release();
    let mut files: Vec<String> = std::fs::read_dir(&r.out)
        .expect("out dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let manifest = format!("terraform-provider-launchdarkly_{VERSION}_manifest.json");
    let mut want = vec![SUMS.to_owned(), ZIP.to_owned(), manifest.clone()];
    if r.key.is_some() {
        want.push(format!("{SUMS}.sig"));
    }
    want.sort();
    assert_eq!(files, want, "the release directory");

    let entries = zip_entries(&r.out.join(ZIP));
    let bin_len = std::fs::metadata(&r.binary).expect("binary").len();
    assert_eq!(
        entries,
        vec![(
            format!("terraform-provider-launchdarkly_v{VERSION}"),
            0o755,
            bin_len
        )],
        "the zip holds exactly the executable"
    );

    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(r.out.join(&manifest)).expect("manifest"))
            .expect("manifest is JSON");
    assert_eq!(m["version"], 1);
    assert_eq!(
        m["metadata"]["protocol_versions"],
        serde_json::json!(["5.0"])
    );
    assert_eq!(
        std::fs::read(r.out.join(&manifest)).expect("manifest"),
        std::fs::read(repo().join("terraform-registry-manifest.json")).expect("repo manifest"),
        "the manifest is terraform-registry-manifest.json"
    );

    let s = sums(r);
    assert_eq!(
        s.len(),
        2,
        "SHA256SUMS lists the zip and the manifest: {s:?}"
    );
    for (file, hash) in &s {
        assert_eq!(hash, &sha256_hex(&r.out.join(file)), "hash of {file}");
    }
    println!("release: {ZIP} sha256={} + manifest, SHA256SUMS ok", s[ZIP]);
}

#[test]
fn release_signature_verifies_with_gpg_against_the_throwaway_key() {
    let r = release();
    let (Some(home), Some(key)) = (&r.gnupg, &r.key) else {
        println!("skipped: gpg is not installed, so the release is unsigned");
        return;
    };
    let sig = r.out.join(format!("{SUMS}.sig"));
    let bytes = std::fs::read(&sig).expect("signature");
    assert!(
        !bytes.starts_with(b"-----BEGIN"),
        "the signature is binary, not armored"
    );
    let v = gpg(
        home,
        &[
            "--status-fd",
            "1",
            "--verify",
            sig.to_str().expect("path"),
            r.out.join(SUMS).to_str().expect("path"),
        ],
    );
    let t = text(&v);
    assert!(v.status.success(), "gpg --verify: {t}");
    assert!(t.contains(&format!("VALIDSIG {key}")), "{t}");

    // A changed SHA256SUMS no longer verifies.
    let tampered = r.out.parent().expect("dir").join("tampered_SHA256SUMS");
    let mut body = std::fs::read(r.out.join(SUMS)).expect("sums");
    body[0] = if body[0] == b'0' { b'1' } else { b'0' };
    std::fs::write(&tampered, body).expect("write");
    let bad = gpg(
        home,
        &[
            "--verify",
            sig.to_str().expect("path"),
            tampered.to_str().expect("path"),
        ],
    );
    assert!(
        !bad.status.success(),
        "a tampered SHA256SUMS must fail to verify"
    );
    println!("release: gpg --verify ok (VALIDSIG {key}); tampered file refused");
}

#[test]
fn release_for_another_address_names_the_files_and_binary_by_its_type() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("dist");
    let mirror = dir.path().join("mirror");
    let bin = provider_binary();
    let lines = release_sh(
        &[
            "--binary",
            bin.to_str().expect("path"),
            "--version",
            "9.8.7-rc.1",
            "--address",
            "terraform.example.com/acme/ld-tokens",
            "--out",
            out.to_str().expect("path"),
            "--mirror",
            mirror.to_str().expect("path"),
        ],
        None,
    );
    let zip = out.join("terraform-provider-ld-tokens_9.8.7-rc.1_linux_amd64.zip");
    assert_eq!(lines[0], zip.display().to_string(), "{lines:?}");
    assert_eq!(
        zip_entries(&zip)
            .into_iter()
            .map(|e| e.0)
            .collect::<Vec<_>>(),
        vec!["terraform-provider-ld-tokens_v9.8.7-rc.1".to_owned()]
    );
    assert!(
        mirror
            .join("terraform.example.com/acme/ld-tokens/terraform-provider-ld-tokens_9.8.7-rc.1_linux_amd64.zip")
            .is_file(),
        "--mirror installs the zip in packed layout"
    );
    // A bad version or address is refused before anything is written.
    for bad in [
        ["--version", "v1"],
        ["--address", "launchdarkly"],
        ["--address", "a/b/C_D"],
    ] {
        let o = Command::new(repo().join("scripts/release.sh"))
            .args(bad)
            .args(["--binary", bin.to_str().expect("path")])
            .arg("--out")
            .arg(dir.path().join("never"))
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", text(&o));
        assert!(!dir.path().join("never").exists());
    }
}
