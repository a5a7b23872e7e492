//! The whole-lifecycle hygiene run: managed tokens through create, update, rotation,
//! import, data sources, a lost create, API errors and destroy, every known secret
//! checked against every output and trace log.

use super::Recorder;
use crate::support::*;
use std::collections::BTreeSet;

fn tf(resources: &str) -> String {
    format!("{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\n{resources}\n")
}

/// The managed tokens: `a` rotates by trigger (with a grace period), `b` is a service
/// token with a custom role, `c` has an inline policy and rotates by `expire`.
fn tokens(trigger: u32, role_a: &str, desc_b: &str, expire_c: &str) -> String {
    format!(
        r#"resource "launchdarkly_access_token" "a" {{
  name                  = "hyg-a"
  role                  = "{role_a}"
  rotation_triggers     = {{ r = "{trigger}" }}
  rotation_grace_period = "1h"
}}

resource "launchdarkly_access_token" "b" {{
  name          = "hyg-b"
  description   = "{desc_b}"
  custom_roles  = ["deployer"]
  service_token = true
}}

resource "launchdarkly_access_token" "c" {{
  name = "hyg-c"
  {expire_c}
  inline_roles {{
    effect    = "allow"
    resources = ["proj/*"]
    actions   = ["*"]
  }}
}}
"#
    )
}

const IMPORTED: &str = r#"
resource "launchdarkly_access_token" "imp" {
  name = "hyg-imported"
  role = "reader"
}
"#;

const READS: &str = r#"
data "launchdarkly_access_tokens" "all" {
  show_all = true
}

data "launchdarkly_access_token" "a" {
  id = launchdarkly_access_token.a.id
}

data "launchdarkly_access_token" "b" {
  name = "hyg-b"
}

output "suffixes" {
  value = data.launchdarkly_access_tokens.all.tokens[*].token_suffix
}

output "a_role" {
  value = data.launchdarkly_access_token.a.role
}

output "a_token" {
  value     = launchdarkly_access_token.a.token
  sensitive = true
}
"#;

const LOST: &str = r#"
resource "launchdarkly_access_token" "lost" {
  name = "hyg-lost"
  role = "reader"
}
"#;

const NEVER: &str = r#"
resource "launchdarkly_access_token" "never" {
  name = "hyg-never"
  role = "reader"
}
"#;

/// A bogus credential of the real shape: it must not be echoed either.
const BOGUS: &str = "api-5ec2e7a1-0bad-4bad-8bad-c0ffee000001";

#[test]
fn no_credential_or_token_secret_reaches_logs_plans_or_errors() {
    let lab = Lab::new(&tf(&tokens(1, "reader", "first", "")));
    let mut r = Recorder {
        lab: &lab,
        secrets: BTreeSet::from([
            lab.emu.admin_key().to_string(),
            lab.emu.service_admin_key().to_string(),
            BOGUS.to_string(),
        ]),
        corpus: Vec::new(),
        runs: 0,
    };
    let faults = |f: launchdarkly_emulator::Faults| lab.emu.set_faults(f);
    let none = launchdarkly_emulator::Faults::default;
    let plan = ["plan", "-input=false", "-no-color"];
    let apply = ["apply", "-auto-approve", "-input=false", "-no-color"];

    // Create, then a plan with no changes.
    r.apply("create");
    let created = tokens_in(&lab.wd);
    assert_eq!(created.len(), 3);
    for (addr, (id, secret)) in &created {
        assert!(
            secret.starts_with("api-"),
            "{addr}: the state holds the full secret"
        );
        assert_eq!(
            lab.emu.token(id).map(|t| t.secret).as_deref(),
            Some(secret.as_str())
        );
    }
    r.ok("plan after create", &plan);

    // Update in place.
    lab.wd
        .write("main.tf", &tf(&tokens(1, "writer", "second", "")));
    r.apply("update");

    // Rotate `a` by its trigger (the old secret stays valid for the grace period) and `c`
    // by `expire`; plan first, which shows the secret changing.
    lab.wd.write(
        "main.tf",
        &tf(&tokens(2, "writer", "second", "expire = -1")),
    );
    let planned = r.ok("plan of the rotations", &plan);
    assert!(planned.contains("(sensitive value)"), "{planned}");
    r.apply("rotate");
    let rotated = tokens_in(&lab.wd);
    for addr in ["launchdarkly_access_token.a", "launchdarkly_access_token.c"] {
        assert_ne!(rotated[addr].1, created[addr].1, "{addr} was rotated");
    }
    assert!(
        lab.emu
            .token(&rotated["launchdarkly_access_token.a"].0)
            .is_some_and(|t| !t.previous_keys.is_empty()),
        "a's old secret is in its grace period"
    );

    // Import a token made elsewhere (its secret is known only to the emulator).
    let seeded = lab
        .emu
        .seed_token(launchdarkly_emulator::SeedToken {
            name: Some("hyg-imported".into()),
            role: Some("reader".into()),
            ..Default::default()
        })
        .expect("seed");
    r.harvest(false);
    let base = format!("{}{IMPORTED}", tokens(2, "writer", "second", "expire = -1"));
    lab.wd.write("main.tf", &tf(&base));
    r.ok(
        "import",
        &[
            "import",
            "-input=false",
            "-no-color",
            "launchdarkly_access_token.imp",
            &seeded.id,
        ],
    );
    r.apply("apply after import");

    // Both data sources, outputs, show, and a refresh.
    let with_reads = format!("{base}{READS}");
    lab.wd.write("main.tf", &tf(&with_reads));
    r.apply("data sources");
    let out = r.ok("output", &["output", "-no-color"]);
    assert!(out.contains("a_token = <sensitive>"), "{out}");
    let shown = r.ok("show", &["show", "-no-color"]);
    assert!(shown.contains("hyg-imported"), "{shown}");
    r.ok(
        "refresh-only apply",
        &[
            "apply",
            "-refresh-only",
            "-auto-approve",
            "-input=false",
            "-no-color",
        ],
    );

    // A lost create response: the provider adopts its token and resets the secret.
    let with_lost = format!("{with_reads}{LOST}");
    lab.wd.write("main.tf", &tf(&with_lost));
    faults(launchdarkly_emulator::Faults {
        lose_next_creates: 1,
        ..none()
    });
    r.apply("adopt after a lost create");
    assert!(
        r.everything()
            .contains("adopting the token this create made"),
        "the adoption path ran"
    );

    // API errors. A rotation whose reset fails:
    let rotate3 = format!(
        "{}{IMPORTED}{READS}{LOST}",
        tokens(3, "writer", "second", "expire = -1")
    );
    lab.wd.write("main.tf", &tf(&rotate3));
    faults(launchdarkly_emulator::Faults {
        fail_next_resets: 1,
        ..none()
    });
    let t = r.fails("failed rotation", &apply, &[]);
    assert!(t.contains("Failed to rotate the secret"), "{t}");

    // A create answered 502 that created nothing:
    lab.wd.write("main.tf", &tf(&format!("{rotate3}{NEVER}")));
    faults(launchdarkly_emulator::Faults {
        fail_next_creates: 1,
        error_status: 502,
        ..none()
    });
    let t = r.fails("502 on create", &apply, &[]);
    assert!(
        t.contains("no token was created") && t.contains("502"),
        "{t}"
    );
    faults(none());
    // (That apply did the pending rotation; the next one is pending from here on.)
    let rotate4 = format!(
        "{}{IMPORTED}{READS}{LOST}",
        tokens(4, "writer", "second", "expire = -1")
    );
    lab.wd.write("main.tf", &tf(&rotate4));

    // A credential LaunchDarkly does not know (401):
    let t = r.fails("401", &plan, &[("LAUNCHDARKLY_ACCESS_TOKEN", BOGUS)]);
    assert!(t.contains("401"), "{t}");

    // A reader token as the credential: reads work, the rotation is forbidden (403).
    let t = r.fails(
        "403",
        &apply,
        &[("LAUNCHDARKLY_ACCESS_TOKEN", seeded.secret.as_str())],
    );
    assert!(t.contains("403"), "{t}");

    // A 404 that is not LaunchDarkly's (a wrong api_host behind a proxy):
    faults(launchdarkly_emulator::Faults {
        error_rate: 1.0,
        error_status: 404,
        ..none()
    });
    let t = r.fails("foreign 404", &plan, &[]);
    assert!(t.contains("404"), "{t}");
    faults(none());

    // The pending rotation goes through, then everything is destroyed.
    r.apply("rotation retried");
    lab.assert_server_matches_state();
    r.harvest(true);
    r.ok(
        "destroy",
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
    );
    assert!(lab.server_tokens().is_empty());

    // The logs are real: Terraform's trace and the provider's own lines.
    let all = r.everything();
    for line in [
        "creating access token",
        "rotating access token secret",
        "patching access token",
        "access token deleted",
    ] {
        assert!(
            all.contains(line),
            "the provider's log line {line:?} is missing"
        );
    }

    let token_secrets = r.secrets.iter().filter(|s| s.starts_with("api-")).count();
    assert!(
        token_secrets >= 12,
        "too few secrets seen ({token_secrets}) for this lifecycle: {:?}",
        r.secrets.len()
    );
    let mut leaks = Vec::new();
    for (what, text) in &r.corpus {
        for secret in &r.secrets {
            // The whole secret, and its random part without the `api-` prefix.
            let body = secret.strip_prefix("api-").unwrap_or(secret);
            if text.contains(secret.as_str()) || text.contains(body) {
                leaks.push(format!("…{} in {what}", tfld::secret::last4(secret)));
            }
        }
    }
    assert!(leaks.is_empty(), "secrets leaked: {leaks:#?}");
    let bytes: usize = r.corpus.iter().map(|(_, t)| t.len()).sum();
    println!(
        "secret hygiene: {} secrets ({} token secrets) checked against {} outputs and trace logs ({} KiB) from {} terraform runs: 0 leaks",
        r.secrets.len(),
        token_secrets,
        r.corpus.len(),
        bytes / 1024,
        r.runs
    );
}
