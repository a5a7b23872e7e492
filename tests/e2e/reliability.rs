//! Data safety on unhappy paths, through the real Terraform against the emulator: ambiguous
//! creates never adopt someone else's token (reliability defect 6), a failed reset of an
//! adopted token leaves no orphan (defect 8), a wrong `api_host` never empties the state
//! (defect 7), and a saved plan applies after a change in the UI (correctness item 1).
//! Each scenario ends with the server's tokens equal to the state's and a clean plan.

mod api_host;
mod creates;
mod limits;
mod saved_plan;

use crate::support::*;

fn tf(resources: &str) -> String {
    format!("{REQUIRED_PROVIDERS}\nprovider \"launchdarkly\" {{}}\n\n{resources}\n")
}
