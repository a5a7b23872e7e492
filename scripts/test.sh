#!/usr/bin/env bash
# Runs every test: formatting, lints, unit and integration tests, and the
# end-to-end suite against Terraform on PATH (1.11.x), Terraform 1.0.3 and
# Terraform 1.15.5 (the last two fetched into the git-ignored .tools/).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings
echo "==> crate layers"
./scripts/check-layers.sh
echo "==> attribute names written once"
./scripts/check-attribute-names.sh
echo "==> docs are up to date"
cargo run --locked --quiet --bin terraform-provider-launchdarkly -- docs --check
echo "==> cargo test (Terraform: $(terraform version | head -1))"
cargo test --locked --workspace --all-targets
tf103=$(scripts/install-terraform-1.0.3.sh)
echo "==> e2e with Terraform 1.0.3"
TF_ACC_TERRAFORM_PATH="$tf103" cargo test --locked --test e2e
tf115=$(scripts/install-terraform-1.15.5.sh)
echo "==> e2e with Terraform 1.15.5"
TF_ACC_TERRAFORM_PATH="$tf115" cargo test --locked --test e2e
echo "==> all tests passed"
