#!/usr/bin/env bash
# Installs Debian's python3-torch and python3-onnx where /usr/bin/python3 cannot import them: the model export tools
# (tools/export-onnx, tools/make-test-models) need them, and so do their tests, which skip without them. Run by
# scripts/test.sh, so that a fresh machine (CI's) runs those tests rather than skipping them.
set -euo pipefail

if /usr/bin/python3 -c "import torch, onnx" >/dev/null 2>&1; then
  exit 0
fi

echo "install-python-torch: apt-get install python3-torch python3-onnx" >&2
if [[ $(id -u) -eq 0 ]]; then as_root=(); else as_root=(sudo); fi
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 python3-torch python3-onnx >/dev/null
/usr/bin/python3 -c "import torch, onnx"
