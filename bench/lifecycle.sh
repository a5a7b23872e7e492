#!/usr/bin/env bash
# The 500-token lifecycle of issue 11 item 5: `terraform apply`, a no-change `plan` and
# `destroy` of LIFECYCLE_TOKENS (500) access tokens on the emulator, against the same with
# as many `null_resource`s (the Go SDK null provider 2.1.2 from PyPI). Prints the wall time
# of each command (median of LIFECYCLE_RUNS untraced runs, default 3), the API requests per
# command, and the split of one more, traced run (TF_LOG_CORE=trace, TF_LOG_PROVIDER=debug;
# bench/tfsplit.py): provider process starts and exits, provider RPCs, Terraform core.
# Tracing slows Terraform down, so the split is shown as shares of the traced run's time.
# Figures are printed, never asserted.
#
#   bench/lifecycle.sh
#   LIFECYCLE_RUNS=1 LIFECYCLE_TOKENS=100 bench/lifecycle.sh     # quick
#   PROVIDER=… EMULATOR=… bench/lifecycle.sh                      # skip the builds
set -euo pipefail
source "$(dirname "$0")/lib.sh"
N=${LIFECYCLE_TOKENS:-500}
RUNS=${LIFECYCLE_RUNS:-3}
split_py="$bench_root/bench/tfsplit.py"

ours=$(provider_binary)
emulator=$(emulator_binary)
null=$(null_binary)
trap stop_emulator EXIT
start_emulator "$emulator"
out="$work/lifecycle"
rm -rf "$out"
mkdir -p "$out"
results="$out/results"
: >"$results"

config() {
  printf 'terraform {\n  required_providers {\n    %s = { source = "%s" }\n  }\n}\n\n' "$1" "$2"
  if [ "$1" = launchdarkly ]; then
    printf 'provider "launchdarkly" {}\n\nresource "launchdarkly_access_token" "t" {\n  count = %d\n  name  = "bench-${count.index}"\n  role  = "reader"\n}\n' "$N"
  else
    printf 'resource "null_resource" "n" {\n  count = %d\n}\n' "$N"
  fi
}

# lifecycle NAME TYPE SOURCE BINARY RUN TRACED: apply, plan, destroy in a fresh directory;
# appends "name|run|command|ms|requests|traced" to $results (requests: API requests the
# emulator logged; 0 for null).
lifecycle() {
  local name=$1 type=$2 src=$3 bin=$4 run=$5 traced=$6
  local dir="$out/$type-$run"
  tf_workdir "$dir" "$src" "$bin"
  config "$type" "$src" >"$dir/main.tf"
  local cmd s e reqs args expect
  for cmd in apply plan destroy; do
    case $cmd in
      plan) args=(plan -detailed-exitcode -input=false -no-color) ;;
      *) args=("$cmd" -auto-approve -input=false -no-color) ;;
    esac
    emu DELETE /_emulator/requests >/dev/null
    s=$(now_ns)
    if [ "$traced" = 1 ]; then
      TF_LOG_CORE=trace TF_LOG_PROVIDER=debug TF_LOG_PATH="$dir/$cmd.log" tf "$dir" "${args[@]}" >"$dir/$cmd.out" 2>&1 ||
        { echo "$name $cmd failed:" >&2; tail -20 "$dir/$cmd.out" >&2; exit 1; }
    else
      tf "$dir" "${args[@]}" >"$dir/$cmd.out" 2>&1 ||
        { echo "$name $cmd failed:" >&2; tail -20 "$dir/$cmd.out" >&2; exit 1; }
    fi
    e=$(now_ns)
    reqs=$(emu GET /_emulator/requests | jq length)
    echo "$name|$run|$cmd|$(( (e - s) / 1000000 ))|$reqs|$traced" >>"$results"
  done
}

subjects=("rust provider|launchdarkly|launchdarkly/launchdarkly|$ours" "Go SDK null 2.1.2|null|hashicorp/null|$null")
for run in $(seq 1 "$RUNS"); do
  for sub in "${subjects[@]}"; do
    IFS='|' read -r name type src bin <<<"$sub"
    echo "run $run: $name…" >&2
    lifecycle "$name" "$type" "$src" "$bin" "$run" 0
  done
done
for sub in "${subjects[@]}"; do
  IFS='|' read -r name type src bin <<<"$sub"
  echo "traced run: $name…" >&2
  lifecycle "$name" "$type" "$src" "$bin" traced 1
done
stop_emulator

para "## $N-resource lifecycle: apply, no-change plan, destroy" \
  "Wall time, median of $RUNS untraced runs (min–max); API requests as logged by the emulator."
table_head provider "apply (s):r" "plan (s):r" "destroy (s):r" "total (s):r" \
  "API requests apply / plan / destroy"
for sub in "${subjects[@]}"; do
  IFS='|' read -r name _ _ _ <<<"$sub"
  row="| $name"
  total=0
  reqs=""
  for cmd in apply plan destroy; do
    vals=$(awk -F'|' -v n="$name" -v c="$cmd" '$1 == n && $3 == c && $6 == 0 { print $4 }' "$results")
    m=$(median <<<"$vals")
    lo=$(sort -g <<<"$vals" | head -1)
    hi=$(sort -g <<<"$vals" | tail -1)
    total=$((total + m))
    row+=$(awk -v m="$m" -v lo="$lo" -v hi="$hi" 'BEGIN { printf " | %.2f (%.2f–%.2f)", m / 1000, lo / 1000, hi / 1000 }')
    r=$(awk -F'|' -v n="$name" -v c="$cmd" '$1 == n && $3 == c && $6 == 0 { print $5 }' "$results" | median)
    reqs+="${reqs:+ / }$r"
  done
  row+=$(awk -v t="$total" 'BEGIN { printf " | **%.2f**", t / 1000 }')
  echo "$row | $reqs |"
done
echo
para "### Where the time goes (one traced run; TF_LOG_CORE=trace, TF_LOG_PROVIDER=debug)"
table_head provider command "traced (s):r" processes:r "process starts (s):r" "exits (s):r" \
  "provider RPCs (s):r" "Terraform core (s):r" "RPCs: calls, mean ms"
for sub in "${subjects[@]}"; do
  IFS='|' read -r name type _ _ <<<"$sub"
  for cmd in apply plan destroy; do
    wall=$(awk -F'|' -v n="$name" -v c="$cmd" '$1 == n && $3 == c && $6 == 1 { print $4 }' "$results")
    python3 "$split_py" "$out/$type-traced/$cmd.log" | jq -r --arg n "$name" --arg c "$cmd" --arg w "$wall" '
      def s: . / 1000 | . * 100 | round / 100;
      def share(x): if x == null then "n/a" else "\(x | s) (\(x / ($w | tonumber) * 100 | round)%)" end;
      "| \($n) | \($c) | \($w | tonumber | s) | \(.processes) | \(share(.start_ms)) | \(share(.exit_ms)) | \(share(.rpc_ms)) | \(share(.core_ms + (($w | tonumber) - .span_ms))) | " +
      ([.rpcs | to_entries[] | select(.value.calls > 0) | "\(.key) \(.value.calls), \(.value.ms / .value.calls * 100 | round / 100)"] | join("; ")) + " |"'
  done
done
echo
echo "Terraform core includes the time before Terraform's first and after its last log line."
