#!/usr/bin/env bash
# The rate-limited refresh of issue 11 item 4: a no-change `terraform plan` against the
# emulator limited to PACING_LIMIT requests per fixed PACING_WINDOW_MS window (default 40 per
# 2 s, i.e. 20 requests/s) with PACING_LATENCY_MS (100) ms per request, over PACING_TOKENS
# (200) tokens, in two configurations:
#
#   GET per token  the tokens are personal tokens of another member, imported: the list
#                  (without showAll) cannot show them, so the refresh reads each with a GET
#                  (1 list page + 200 GETs), as every refresh did before list-backed refresh;
#   list-backed    the tokens were created by this configuration: the list answers them.
#
# For each run it prints the wall time of the plan, the API requests and 429s (from the
# emulator's request log), and the floor: answered requests / rate (what sending them at
# exactly the allowed rate takes). BEFORE=/path/to/older/provider adds that build,
# interleaved run by run. Figures are printed, never asserted.
#
#   bench/pacing.sh                      # 3 runs each
#   PACING_RUNS=1 bench/pacing.sh        # quick
#   PROVIDER=… EMULATOR=… bench/pacing.sh   # skip the builds
set -euo pipefail
source "$(dirname "$0")/lib.sh"
N=${PACING_TOKENS:-200}
LIMIT=${PACING_LIMIT:-40}
WINDOW_MS=${PACING_WINDOW_MS:-2000}
LATENCY_MS=${PACING_LATENCY_MS:-100}
RUNS=${PACING_RUNS:-3}

ours=$(provider_binary)
emulator=$(emulator_binary)
binaries=("after|$ours")
[ -n "${BEFORE:-}" ] && binaries=("before|$BEFORE" "${binaries[@]}")
trap stop_emulator EXIT

faults=$(printf '{"rateLimit":%d,"rateLimitWindowMs":%d,"latencyMs":%d,"rateLimitStyle":"global"}' \
  "$LIMIT" "$WINDOW_MS" "$LATENCY_MS")
rate=$(awk -v l="$LIMIT" -v w="$WINDOW_MS" 'BEGIN { printf "%g", l * 1000 / w }')
results="$work/pacing.results"
: >"$results"

# One measured plan in DIR with binary BIN: appends "scenario|name|ms|requests|429s|other
# failures|exit code|list pages|GETs" to $results (counts include retried attempts).
measure() {
  local scenario=$1 name=$2 bin=$3 dir=$4
  ln -sfn "$bin" "$dir/bin/terraform-provider-launchdarkly"
  emu PUT /_emulator/faults "$faults" >/dev/null
  emu DELETE /_emulator/requests >/dev/null
  local s e code=0
  s=$(now_ns)
  tf "$dir" plan -detailed-exitcode -input=false -no-color >"$dir/plan.out" 2>&1 || code=$?
  e=$(now_ns)
  emu PUT /_emulator/faults '{}' >/dev/null
  emu GET /_emulator/requests | jq -r --arg s "$scenario" --arg n "$name" \
    --arg t "$(( (e - s) / 1000000 ))" --arg c "$code" \
    '"\($s)|\($n)|\($t)|\(length)|\(map(select(.status == 429)) | length)|\(map(select(.status != 429 and .status >= 400)) | length)|\($c)|\(map(select(.method == "GET" and .path == "/api/v2/tokens")) | length)|\(map(select(.method == "GET" and (.path | startswith("/api/v2/tokens/")))) | length)"' \
    >>"$results"
  [ "$code" = 0 ] || { echo "plan in $dir did not end with no changes (exit $code):" >&2; tail -20 "$dir/plan.out" >&2; }
}

setup() {
  local scenario=$1 dir="$work/pacing/$1"
  stop_emulator
  start_emulator "$emulator"
  tf_workdir "$dir" launchdarkly/launchdarkly "$ours"
  {
    printf 'terraform {\n  required_providers {\n    launchdarkly = { source = "launchdarkly/launchdarkly" }\n  }\n}\n\nprovider "launchdarkly" {}\n\n'
    if [ "$scenario" = get ]; then
      # one literal import block per token (removed once imported): a for_each over 200 IDs
      # costs Terraform core more than the refresh itself
      emu POST /_emulator/tokens "$(printf '{"count":%d,"memberEmail":"other@bench.test","serviceToken":false,"role":"reader","name":"other"}' "$N")" |
        jq -r 'to_entries[] | "import {\n  to = launchdarkly_access_token.t[\(.key)]\n  id = \"\(.value.id)\"\n}\n"'
      printf 'resource "launchdarkly_access_token" "t" {\n  count = %d\n  name  = "other"\n  role  = "reader"\n}\n' "$N"
    else
      printf 'resource "launchdarkly_access_token" "t" {\n  count = %d\n  name  = "bench-${count.index}"\n  role  = "reader"\n}\n' "$N"
    fi
  } >"$dir/main.tf"
  echo "setting up '$scenario' ($N tokens)…" >&2
  tf "$dir" apply -auto-approve -input=false -no-color >"$dir/apply.out" 2>&1 ||
    { tail -20 "$dir/apply.out" >&2; exit 1; }
  sed -i '/^import {/,/^}/d' "$dir/main.tf"
}

for scenario in get list; do
  setup "$scenario"
  for _ in $(seq 1 "$RUNS"); do
    for b in "${binaries[@]}"; do
      measure "$scenario" "${b%%|*}" "${b#*|}" "$work/pacing/$scenario"
    done
  done
done
stop_emulator

para "## Rate-limited no-change plan ($N tokens; $LIMIT requests per ${WINDOW_MS} ms window = $rate/s; ${LATENCY_MS} ms latency)" \
  "$RUNS runs each; medians (min–max). Floor = answered requests / $rate per s."
table_head refresh provider "plan (s):r" requests:r 429s:r "429 share:r" "floor (s):r" \
  "plan / floor:r" "failed plans:r"
for scenario in get list; do
  label=$([ "$scenario" = get ] && echo "GET per token" || echo "list-backed")
  for b in "${binaries[@]}"; do
    name=${b%%|*}
    rows=$(grep "^$scenario|$name|" "$results")
    col() { cut -d'|' -f"$1" <<<"$rows"; }
    t=$(col 3 | median)
    tmin=$(col 3 | sort -g | head -1)
    tmax=$(col 3 | sort -g | tail -1)
    req=$(col 4 | median)
    q=$(col 5 | median)
    failed=$(awk -F'|' '$6 > 0 || $7 != 0' <<<"$rows" | grep -c . || true)
    awk -v l="$label" -v n="$name" -v t="$t" -v lo="$tmin" -v hi="$tmax" -v r="$req" -v q="$q" \
      -v rate="$rate" -v f="$failed" -v m="$RUNS" 'BEGIN {
        floor = (r - q) / rate
        printf "| %s | %s | **%.2f** (%.2f–%.2f) | %d | %d | %.1f%% | %.2f | %.2f× | %d of %d |\n",
          l, n, t / 1000, lo / 1000, hi / 1000, r, q, 100 * q / r, floor, t / 1000 / floor, f, m }'
  done
done
echo
echo "Per run (scenario|provider|ms|requests|429s|other failures|exit code|list pages|GETs):"
echo
sed 's/^/    /' "$results"
