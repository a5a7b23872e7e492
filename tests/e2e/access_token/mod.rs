//! `launchdarkly_access_token` through the real Terraform against the
//! emulator. Each scenario checks the server's token set against the state
//! and that the follow-up `plan -detailed-exitcode` shows no changes.

mod adoption;
mod failures;
mod lifecycle;

use crate::support::*;

fn tf(resources: &str) -> String {
    format!("{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\n{resources}\n")
}
