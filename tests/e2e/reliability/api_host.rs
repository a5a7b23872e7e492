//! A wrong `api_host`: a path in it, a foreign 404 and a closed port fail clearly and
//! never empty the state.

use super::tf;
use crate::support::*;

#[test]
fn a_wrong_api_host_never_empties_the_state() {
    let body =
        "resource \"launchdarkly_access_token\" \"t\" {\n  name = \"t\"\n  role = \"reader\"\n}";
    let lab = Lab::new(&tf(body));
    lab.apply();
    let before = tokens_in(&lab.wd);
    let base = lab.emu.base_url();

    // A path in api_host (config or environment) is rejected before any request.
    lab.wd.write(
        "main.tf",
        &format!(
            "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{\n  api_host = \"{base}/api/v2\"\n}}\n\n{body}\n"
        ),
    );
    lab.emu.clear_requests();
    let o = lab
        .wd
        .run(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("must not contain a path"), "{out}");
    assert!(out.contains("api_host"), "the attribute is named:\n{out}");
    assert!(lab.emu.requests().is_empty(), "no request was sent");
    lab.wd.write("main.tf", &tf(body));
    let path_host = format!("{base}/api/v2");
    let o = lab.wd.run_env(
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
        &[("LAUNCHDARKLY_API_HOST", path_host.as_str())],
    );
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("must not contain a path"), "{out}");
    assert_eq!(tokens_in(&lab.wd), before, "the state is untouched");

    // A 404 that is not LaunchDarkly's not-found answer is an error, not "deleted".
    let mut faults = lab.emu.faults();
    faults.error_rate = 1.0;
    faults.error_status = 404;
    lab.emu.set_faults(faults);
    let o = lab
        .wd
        .run(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
    let out = text(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains("404"), "{out}");
    assert!(
        out.contains("api_host"),
        "the hint points at api_host:\n{out}"
    );
    assert!(!out.contains("Destroy complete"), "{out}");
    lab.emu.set_faults(launchdarkly_emulator::Faults::default());
    assert_eq!(tokens_in(&lab.wd), before, "the state is untouched");
    lab.assert_server_matches_state();
    lab.assert_no_changes("after the failed destroys");
}

/// Issue 12 item 8: a refused connection to `api_host` used to be retried for ~45 s. Now the
/// plan of a data source fails after two quick retries with one error naming what failed,
/// the host, how often it was tried and the fix.
#[test]
fn a_closed_api_host_port_fails_the_plan_at_once_naming_host_and_fix() {
    // A loopback port nothing listens on: bind an ephemeral port, take it, free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let host = format!("http://127.0.0.1:{port}");
    let wd = Workdir::new(&format!(
        "{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{\n  api_host     = \"{host}\"\n  access_token = \"api-0b6f8a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b\"\n}}\n\n\
         data \"launchdarkly_access_tokens\" \"all\" {{}}\n"
    ));
    let o = wd.run(&["plan", "-input=false", "-no-color"]);
    let out = text(&o);
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    eprintln!("{out}");
    assert!(!o.status.success(), "{out}");
    assert!(
        flat.contains("list access tokens failed after 3 attempt(s)"),
        "{out}"
    );
    assert!(
        flat.contains(&format!("connection refused by {host}")),
        "names the host:\n{out}"
    );
    assert!(
        flat.contains("retried only 2 times"),
        "says how often:\n{out}"
    );
    assert!(flat.contains("Check api_host"), "names the fix:\n{out}");
    assert!(
        !out.contains("0b6f8a1e"),
        "the credential is not echoed:\n{out}"
    );
    assert!(!out.contains("plugin crashed"), "{out}");
    assert_eq!(
        flat.matches("connection refused by").count(),
        1,
        "one error:\n{out}"
    );
}
