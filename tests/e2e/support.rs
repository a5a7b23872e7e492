//! Shared helpers: a private Terraform working directory with dev_overrides,
//! running terraform commands, and reading its version.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The provider binary cargo built for this test run.
pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-launchdarkly"))
}

/// The Terraform CLI under test.
pub fn terraform_binary() -> String {
    std::env::var("TF_ACC_TERRAFORM_PATH")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "terraform".into())
}

/// `(major, minor, patch)` of the Terraform under test.
#[allow(dead_code)] // used by version-gated scenarios
pub fn terraform_version() -> (u32, u32, u32) {
    let out = Command::new(terraform_binary())
        .args(["version", "-json"])
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .expect("run terraform version");
    let j: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("terraform version -json");
    let v = j["terraform_version"]
        .as_str()
        .expect("version string")
        .to_string();
    let mut it = v.split(['.', '-']).map(|p| p.parse::<u32>().unwrap_or(0));
    (
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
        it.next().unwrap_or(0),
    )
}

/// A temporary Terraform working directory with a private CLI config whose
/// dev_overrides point `launchdarkly/launchdarkly` at the test binary.
pub struct Workdir {
    pub dir: tempfile::TempDir,
    pub env: Vec<(String, String)>,
}

impl Workdir {
    pub fn new(main_tf: &str) -> Workdir {
        let dir = tempfile::tempdir().expect("tempdir");
        let bin_dir = provider_binary().parent().expect("bin dir").to_path_buf();
        let rc = dir.path().join("dev.tfrc");
        std::fs::write(
            &rc,
            format!(
                "provider_installation {{\n  dev_overrides {{\n    \"launchdarkly/launchdarkly\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
                bin_dir.display()
            ),
        )
        .expect("write tfrc");
        std::fs::write(dir.path().join("main.tf"), main_tf).expect("write main.tf");
        let env = vec![
            ("CHECKPOINT_DISABLE".into(), "1".into()),
            ("TF_CLI_CONFIG_FILE".into(), rc.display().to_string()),
            ("TF_IN_AUTOMATION".into(), "1".into()),
        ];
        Workdir { dir, env }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    #[allow(dead_code)]
    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.path().join(name), content).expect("write file");
    }

    /// Runs terraform with `args`, extra environment, and a clean log setup.
    pub fn run_env(&self, args: &[&str], extra: &[(&str, &str)]) -> Output {
        self.command(args, extra).output().expect("run terraform")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Asserts success and returns combined output.
pub fn ok(o: Output, what: &str) -> String {
    let t = text(&o);
    assert!(o.status.success(), "{what} failed:\n{t}");
    t
}

pub const REQUIRED_PROVIDERS: &str = r#"terraform {
  required_providers {
    launchdarkly = {
      source = "launchdarkly/launchdarkly"
    }
  }
}
"#;

/// A LaunchDarkly emulator on an ephemeral loopback port, running on its own
/// runtime for the duration of a test, plus a Terraform workdir pointed at it.
pub struct Lab {
    pub rt: tokio::runtime::Runtime,
    pub emu: launchdarkly_emulator::EmulatorHandle,
    pub wd: Workdir,
}

impl Lab {
    /// A lab whose configuration is only the provider, with an empty provider block.
    pub fn without_resources() -> Lab {
        Lab::new(&format!(
            "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n"
        ))
    }

    pub fn new(main_tf: &str) -> Lab {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let emu = rt
            .block_on(launchdarkly_emulator::Emulator::start(
                launchdarkly_emulator::EmulatorConfig::default(),
            ))
            .expect("start emulator");
        let mut wd = Workdir::new(main_tf);
        wd.env
            .push(("LAUNCHDARKLY_API_HOST".into(), emu.base_url()));
        wd.env.push((
            "LAUNCHDARKLY_ACCESS_TOKEN".into(),
            emu.admin_key().to_string(),
        ));
        Lab { rt, emu, wd }
    }

    /// Tokens on the server, without the emulator's own admin tokens.
    pub fn server_tokens(&self) -> Vec<launchdarkly_emulator::EmulatedToken> {
        self.emu
            .tokens()
            .into_iter()
            .filter(|t| {
                !t.name
                    .as_deref()
                    .unwrap_or_default()
                    .starts_with("emulator ")
            })
            .collect()
    }

    pub fn apply(&self) -> String {
        ok(
            self.wd
                .run(&["apply", "-auto-approve", "-input=false", "-no-color"]),
            "terraform apply",
        )
    }

    /// `terraform apply`, which must fail; its output.
    pub fn failed_apply(&self) -> String {
        let o = self
            .wd
            .run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        let out = text(&o);
        assert!(!o.status.success(), "{out}");
        out
    }

    /// `terraform apply` of the saved plan `plan_file`, asserting success.
    pub fn apply_saved_plan(&self, plan_file: &str) -> String {
        ok(
            self.wd.run(&[
                "apply",
                "-auto-approve",
                "-input=false",
                "-no-color",
                plan_file,
            ]),
            "apply of the saved plan",
        )
    }

    /// `terraform plan -detailed-exitcode`: 0 no changes, 2 changes.
    pub fn plan_code(&self) -> (i32, String) {
        let o = self
            .wd
            .run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        (o.status.code().unwrap_or(-1), text(&o))
    }

    pub fn assert_no_changes(&self, when: &str) {
        let (code, out) = self.plan_code();
        assert_eq!(
            code, 0,
            "{when}: the follow-up plan must show no changes:\n{out}"
        );
    }

    /// Resource instances from `terraform show -json` (address → values).
    pub fn state(&self) -> std::collections::BTreeMap<String, serde_json::Value> {
        let o = self.wd.run(&["show", "-json"]);
        assert!(o.status.success(), "{}", text(&o));
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("show -json");
        let mut out = std::collections::BTreeMap::new();
        if let Some(rs) = j["values"]["root_module"]["resources"].as_array() {
            for r in rs {
                out.insert(
                    r["address"].as_str().unwrap_or_default().to_string(),
                    r["values"].clone(),
                );
            }
        }
        out
    }

    /// A client authenticated with the emulator's admin key (server-side changes).
    pub fn admin_client(&self) -> tfld::client::Client {
        tfld::client::Client::new(tfld::client::ClientConfig::new(
            self.emu.base_url(),
            self.emu.admin_key().to_string(),
        ))
        .expect("admin client")
    }

    /// Whether `key` authenticates against the emulator right now.
    pub fn key_works(&self, key: &str) -> bool {
        let mut cc = tfld::client::ClientConfig::new(self.emu.base_url(), key.to_string());
        cc.retry.max_retries = Some(0);
        let client = tfld::client::Client::new(cc).expect("client");
        match self
            .rt
            .block_on(client.list_tokens_page(Default::default()))
        {
            Ok(_) => true,
            Err(tfld::client::Error::Unauthorized(_)) => false,
            Err(e) => panic!("unexpected error checking a key: {e}"),
        }
    }

    /// Asserts the server's token set equals the managed tokens in state.
    pub fn assert_server_matches_state(&self) {
        let state = self.state();
        let mut state_ids: Vec<String> = state
            .iter()
            .filter(|(a, _)| a.starts_with("launchdarkly_access_token."))
            .map(|(_, v)| v["id"].as_str().unwrap_or_default().to_string())
            .collect();
        let mut server_ids: Vec<String> = self.server_tokens().into_iter().map(|t| t.id).collect();
        state_ids.sort();
        server_ids.sort();
        assert_eq!(
            server_ids, state_ids,
            "server tokens must equal the tokens in state"
        );
    }
}

impl Lab {
    /// A second Terraform working directory (another "workspace", with its own state)
    /// against the same emulator and credential.
    #[allow(dead_code)]
    pub fn second_workdir(&self, main_tf: &str) -> Workdir {
        let mut wd = Workdir::new(main_tf);
        for (k, v) in &self.wd.env {
            if k.starts_with("LAUNCHDARKLY_") {
                wd.env.push((k.clone(), v.clone()));
            }
        }
        wd
    }
}

/// Whether Terraform is 1.`minor` or later; when it is not, prints `skipping: {note}`.
pub fn terraform_at_least(minor: u32, note: &str) -> bool {
    let (maj, min, _) = terraform_version();
    if maj == 1 && min < minor {
        println!("skipping: {note}");
        return false;
    }
    true
}

/// Starts the provider in debug mode (`--debug` followed by `extra_args`); returns the
/// process and the TF_REATTACH_PROVIDERS value it prints, if it prints one within ten lines.
pub fn start_debug_provider(extra_args: &[&str]) -> (std::process::Child, Option<String>) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut child = Command::new(provider_binary())
        .arg("--debug")
        .args(extra_args)
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn --debug");
    // The pipe stays with the process (read through a borrow), so that it is still open for
    // whatever the provider prints later.
    let mut reader = BufReader::new(child.stdout.as_mut().expect("stdout"));
    let mut reattach = None;
    for _ in 0..10 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if let Some(v) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
            reattach = Some(v.trim_end_matches('\'').to_string());
            break;
        }
    }
    (child, reattach)
}

/// `terraform providers schema -json` in `wd` against the reattached debug provider, which
/// is then stopped.
pub fn schema_from_debug_provider(
    wd: &Workdir,
    reattach: &str,
    mut provider: std::process::Child,
) -> Output {
    let out = wd.run_env(
        &["providers", "schema", "-json"],
        &[("TF_REATTACH_PROVIDERS", reattach)],
    );
    let _ = provider.kill();
    let _ = provider.wait();
    out
}

/// `terraform apply -auto-approve` in `wd`, asserting success.
#[allow(dead_code)]
pub fn apply_in(wd: &Workdir) -> String {
    ok(
        wd.run(&["apply", "-auto-approve", "-input=false", "-no-color"]),
        "terraform apply",
    )
}

/// Managed access tokens in `wd`'s state: address → (id, secret).
#[allow(dead_code)]
pub fn tokens_in(wd: &Workdir) -> std::collections::BTreeMap<String, (String, String)> {
    let o = wd.run(&["show", "-json"]);
    assert!(o.status.success(), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("show -json");
    let mut out = std::collections::BTreeMap::new();
    for r in j["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        if r["type"] == "launchdarkly_access_token" && r["mode"] == "managed" {
            let v = &r["values"];
            out.insert(
                r["address"].as_str().unwrap_or_default().to_string(),
                (
                    v["id"].as_str().unwrap_or_default().to_string(),
                    v["token"].as_str().unwrap_or_default().to_string(),
                ),
            );
        }
    }
    out
}

/// `terraform plan -detailed-exitcode` in `wd` must show no changes.
#[allow(dead_code)]
pub fn assert_no_changes_in(wd: &Workdir, when: &str) {
    let o = wd.run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{when}: the follow-up plan must show no changes:\n{}",
        text(&o)
    );
}

impl Workdir {
    /// `terraform args` in this directory, not yet started (for tests that stream its output
    /// or signal it): the variables that change Terraform's logging or the provider's
    /// credentials are removed, then this directory's and `extra` environment set.
    pub fn command(&self, args: &[&str], extra: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(terraform_binary());
        cmd.args(args).current_dir(self.path());
        for k in [
            "TF_LOG",
            "TF_LOG_PROVIDER",
            "TF_LOG_CORE",
            "TF_LOG_PATH",
            "LAUNCHDARKLY_ACCESS_TOKEN",
            "LAUNCHDARKLY_OAUTH_TOKEN",
            "LAUNCHDARKLY_API_HOST",
        ] {
            cmd.env_remove(k);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd
    }
}

/// Diagnostics from `terraform validate -json` (one document) or from the JSON lines of
/// `plan -json` / `apply -json` (`{"type": "diagnostic", "diagnostic": {...}}`).
#[allow(dead_code)]
pub fn json_diagnostics(o: &Output) -> Vec<serde_json::Value> {
    let out = String::from_utf8_lossy(&o.stdout);
    if let Ok(doc) = serde_json::from_str::<serde_json::Value>(&out) {
        if let Some(d) = doc["diagnostics"].as_array() {
            return d.clone();
        }
    }
    out.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|j| j["type"] == "diagnostic")
        .map(|j| j["diagnostic"].clone())
        .collect()
}

/// Evidence about the provider and its client under faults (the fault matrix) does not
/// depend on the Terraform version, so CI runs it once: with the Terraform on PATH. Under
/// `TF_ACC_TERRAFORM_PATH` (the 1.0.3 and 1.15.5 runs) it skips and says so, unless
/// `LD_E2E_ALL_VERSIONS=1`.
#[allow(dead_code)]
pub fn provider_evidence_runs_here(what: &str) -> bool {
    let other_terraform = std::env::var_os("TF_ACC_TERRAFORM_PATH").is_some_and(|p| !p.is_empty());
    let forced = std::env::var("LD_E2E_ALL_VERSIONS").is_ok_and(|v| v == "1");
    if other_terraform && !forced {
        eprintln!(
            "skipped: {what} exercises the provider, not Terraform; it runs once, with the Terraform on PATH (LD_E2E_ALL_VERSIONS=1 runs it here too)"
        );
        return false;
    }
    true
}
