#!/usr/bin/env bash
# The main job on the embedded default: build the provider and the emulator,
# start the emulator on an ephemeral loopback port, install the provider into
# a private filesystem mirror, `terraform init` + `apply` examples/quickstart
# in a temporary directory, and show the result (then clean up).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CHECKPOINT_DISABLE=1

echo "==> building the provider and the emulator"
cargo build --locked --quiet --workspace --bins
# Honour CARGO_TARGET_DIR and build.target-dir settings.
bin=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug

work=$(mktemp -d)
emu_pid=
cleanup() {
  [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> starting the LaunchDarkly emulator"
mkfifo "$work/emu.out"
"$bin/launchdarkly-emulator" --port 0 >"$work/emu.out" 2>"$work/emu.log" &
emu_pid=$!
exec 3<"$work/emu.out"
read -r -t 30 line1 <&3 || { echo "emulator did not start" >&2; cat "$work/emu.log" >&2; exit 1; }
read -r -t 30 line2 <&3 || true
api_host=${line1#listening on }
admin_key=${line2#admin-key }
echo "    emulator at $api_host"
export LAUNCHDARKLY_API_HOST=$api_host LAUNCHDARKLY_ACCESS_TOKEN=$admin_key
version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')
pkg="$work/mirror/registry.terraform.io/launchdarkly/launchdarkly/$version/linux_amd64"
mkdir -p "$pkg"
cp "$bin/terraform-provider-launchdarkly" "$pkg/terraform-provider-launchdarkly_v$version"
cat > "$work/terraform.rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/launchdarkly/launchdarkly"]
  }
  direct {
    exclude = ["registry.terraform.io/launchdarkly/launchdarkly"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraform.rc"
cp -r examples/quickstart "$work/quickstart"
cd "$work/quickstart"

echo "==> terraform init"
terraform init -input=false -no-color | grep -E "Installed|Terraform has been successfully initialized"
echo "==> terraform apply"
terraform apply -auto-approve -input=false -no-color | grep -E "^(launchdarkly_|Apply complete|Plan:)"
echo "==> result"
terraform output -no-color
terraform state show -no-color launchdarkly_access_token.ci | grep -E "id|name|role|service_token|token "
echo "==> follow-up plan (expect no changes)"
terraform plan -detailed-exitcode -input=false -no-color >/dev/null && echo "    No changes."
echo "==> the tokens as the emulator sees them"
curl -s -H "Authorization: $admin_key" "$api_host/api/v2/tokens" | python3 -c '
import json,sys
for t in json.load(sys.stdin)["items"]:
    print("    %s  %-22s role=%-6s service=%s secret=…%s" % (t["_id"], t.get("name",""), t.get("role","-"), t.get("serviceToken"), t.get("token","")))
'
echo "==> terraform destroy"
terraform destroy -auto-approve -input=false -no-color | grep -E "Destroy complete"
echo "==> done (emulator stopped, workdir removed)"
