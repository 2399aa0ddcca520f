#!/usr/bin/env bash
# The documented install of the `renderfarm` command (scripts/install-cli.sh) into a throwaway prefix, then one
# embedded render with what it installed: the published command must start, find its shipped model and write images.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

work=$(mktemp -d -t rf-cli-install.XXXXXX)
trap 'rm -rf "$work"' EXIT

./scripts/install-cli.sh "$work/prefix" >/dev/null
# From another folder, as a user runs it: nothing of the repository's layout may be needed.
(cd "$work" && ./prefix/bin/renderfarm render "a large red circle on the left of a white background" --count 4 --seed 7 --out renders --json >render.json)

count=$(find "$work/renders" -name '*.png' | wc -l)
if ((count != 4)); then
  echo "check-cli-install.sh: the installed renderfarm wrote $count images, not 4"
  cat "$work/render.json"
  exit 1
fi
if ! grep -q '"status": *"completed"' "$work/render.json"; then
  echo "check-cli-install.sh: the job did not complete:"
  cat "$work/render.json"
  exit 1
fi
echo "check-cli-install.sh: installed and rendered 4 images"
