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
        cmd.output().expect("run terraform")
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
