#!/usr/bin/env bash
# Builds the provider and writes its release in HashiCorp's layout (what the Terraform
# Registry and `terraform providers mirror` expect):
#
#   terraform-provider-<type>_<version>_<os>_<arch>.zip   (holds terraform-provider-<type>_v<version>)
#   terraform-provider-<type>_<version>_manifest.json     (copy of terraform-registry-manifest.json)
#   terraform-provider-<type>_<version>_SHA256SUMS        (sha256sum format: zips + manifest)
#   terraform-provider-<type>_<version>_SHA256SUMS.sig    (detached binary GPG signature; --gpg-key)
#
# Usage: scripts/release.sh [--version V] [--binary PATH] [--target TRIPLE] [--platform OS_ARCH]
#                           [--out DIR] [--gpg-key ID] [--address HOST/NAMESPACE/TYPE]
#                           [--mirror DIR [--unpacked]]
#
#   --version   release version (default: the workspace version in Cargo.toml)
#   --binary    package this already-built binary instead of running `cargo build --release`
#   --target    a Rust target triple to cross-build for (`rustup target add TRIPLE` and a
#               linker for it first); sets the platform: x86_64/aarch64 × linux-gnu,
#               linux-musl, apple-darwin, pc-windows-msvc/gnu → linux|darwin|windows _ amd64|arm64
#   --platform  OS_ARCH of a --binary built elsewhere (default: this machine's, or --target's)
#   --out       output directory (default: target/dist)
#   --gpg-key   sign SHA256SUMS with this key (honours GNUPGHOME)
#   --address   the provider source address the package is for (default
#               registry.terraform.io/launchdarkly/launchdarkly); its last part names the
#               files and the binary. Use another one to install beside the official provider.
#   --mirror    also install the zip into this filesystem mirror (packed layout, the zip as
#               is); with --unpacked, unzip it into the unpacked layout instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

version= binary= target= platform= out= gpg_key= mirror= unpacked=
address=registry.terraform.io/launchdarkly/launchdarkly
die() { echo "release.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --version) version=${2:?}; shift 2 ;;
    --binary) binary=${2:?}; shift 2 ;;
    --target) target=${2:?}; shift 2 ;;
    --platform) platform=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --gpg-key) gpg_key=${2:?}; shift 2 ;;
    --address) address=${2:?}; shift 2 ;;
    --mirror) mirror=${2:?}; shift 2 ;;
    --unpacked) unpacked=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done

# The address: HOST/NAMESPACE/TYPE, or NAMESPACE/TYPE on the public registry.
case $address in
  */*/*/*) die "--address must be HOST/NAMESPACE/TYPE, got $address" ;;
  */*/*) ;;
  */*) address=registry.terraform.io/$address ;;
  *) die "--address must be HOST/NAMESPACE/TYPE, got $address" ;;
esac
type=${address##*/}
[[ $type =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "the provider type ${type} must be lower-case letters, digits and dashes"

metadata() { cargo metadata --no-deps --format-version 1 --manifest-path "$root/Cargo.toml"; }
if [ -z "$version" ]; then
  version=$(metadata | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "terraform-provider-launchdarkly"))')
fi
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || die "--version must be semver (1.2.3 or 1.2.3-rc.1), got $version"

platform_of_triple() {
  local arch os
  case $1 in
    x86_64-*) arch=amd64 ;;
    aarch64-*) arch=arm64 ;;
    *) die "no Terraform platform known for target $1" ;;
  esac
  case $1 in
    *-linux-*) os=linux ;;
    *-apple-darwin) os=darwin ;;
    *-windows-*) os=windows ;;
    *) die "no Terraform platform known for target $1" ;;
  esac
  echo "${os}_${arch}"
}
if [ -z "$platform" ]; then
  if [ -n "$target" ]; then
    platform=$(platform_of_triple "$target")
  else
    case $(uname -s) in Linux) os=linux ;; Darwin) os=darwin ;; *) die "unknown OS $(uname -s); pass --platform" ;; esac
    case $(uname -m) in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) die "unknown arch $(uname -m); pass --platform" ;; esac
    platform=${os}_${arch}
  fi
fi
[[ $platform =~ ^[a-z0-9]+_[a-z0-9]+$ ]] || die "--platform must be OS_ARCH (linux_amd64), got $platform"
exe=
[[ $platform == windows_* ]] && exe=.exe

if [ -z "$binary" ]; then
  echo "==> cargo build --release${target:+ --target $target}" >&2
  (cd "$root" && cargo build --locked --release --bin terraform-provider-launchdarkly ${target:+--target "$target"})
  target_dir=$(metadata | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  binary=$target_dir/${target:+$target/}release/terraform-provider-launchdarkly$exe
fi
[ -f "$binary" ] || die "no binary at $binary"

out=${out:-$root/target/dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
base=terraform-provider-${type}_${version}
zip_name=${base}_${platform}.zip
manifest=${base}_manifest.json
sums=${base}_SHA256SUMS

# The zip holds one file, the executable, mode 0755.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$binary" "$stage/terraform-provider-${type}_v${version}${exe}"
chmod 0755 "$stage/terraform-provider-${type}_v${version}${exe}"
rm -f "$out/$zip_name"
if command -v zip >/dev/null; then
  (cd "$stage" && zip -q -X "$out/$zip_name" "terraform-provider-${type}_v${version}${exe}")
else
  python3 - "$stage" "$out/$zip_name" "terraform-provider-${type}_v${version}${exe}" <<'PY'
import sys, zipfile
stage, dest, name = sys.argv[1:4]
with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
    z.write(f"{stage}/{name}", name)  # keeps the file mode (0755)
PY
fi

cp "$root/terraform-registry-manifest.json" "$out/$manifest"

# Every zip of this version already in --out (other platforms built before) plus the manifest.
(
  cd "$out"
  shopt -s nullglob
  sha256sum "${base}"_*_*.zip "$manifest" >"$sums.tmp"
  mv "$sums.tmp" "$sums"
)
rm -f "$out/$sums.sig"
if [ -n "$gpg_key" ]; then
  gpg --batch --yes --local-user "$gpg_key" --detach-sign --output "$out/$sums.sig" "$out/$sums"
fi

if [ -n "$mirror" ]; then
  mkdir -p "$mirror"
  mirror=$(cd "$mirror" && pwd)
  if [ -n "$unpacked" ]; then
    dest=$mirror/$address/$version/$platform
    rm -rf "$dest" && mkdir -p "$dest"
    cp -p "$stage/terraform-provider-${type}_v${version}${exe}" "$dest/"
  else
    dest=$mirror/$address
    mkdir -p "$dest"
    cp "$out/$zip_name" "$dest/"
  fi
  echo "installed $address $version ($platform) into $dest" >&2
fi

echo "$out/$zip_name"
echo "$out/$manifest"
echo "$out/$sums"
[ -z "$gpg_key" ] || echo "$out/$sums.sig"
