#!/usr/bin/env bash
# The main job on the embedded default: build the provider, install it into a
# private filesystem mirror, and run Terraform on examples/quickstart in a
# temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CHECKPOINT_DISABLE=1

echo "==> building the provider"
cargo build --locked --quiet --bins

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')
pkg="$work/mirror/registry.terraform.io/launchdarkly/launchdarkly/$version/linux_amd64"
mkdir -p "$pkg"
cp target/debug/terraform-provider-launchdarkly "$pkg/terraform-provider-launchdarkly_v$version"
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
echo "==> terraform validate"
terraform validate -no-color
echo "==> provider schema (attributes)"
terraform providers schema -json | python3 -c '
import json,sys
s=json.load(sys.stdin)["provider_schemas"]["registry.terraform.io/launchdarkly/launchdarkly"]
for k,v in sorted(s["provider"]["block"]["attributes"].items()):
    print("  provider.%s: %s%s" % (k, v["type"], " (sensitive)" if v.get("sensitive") else ""))
for r in sorted(s.get("resource_schemas",{})): print("  resource", r)
for d in sorted(s.get("data_source_schemas",{})): print("  data source", d)
'
echo "==> done (workdir $work removed on exit)"
