#!/usr/bin/env bash
# Installs the `renderfarm` command: publishes it (self-contained, compiled ahead of time, with the shipped models; see
# src/RenderFarm.Cli/RenderFarm.Cli.csproj for why) to
# PREFIX/lib/renderfarm and links PREFIX/bin/renderfarm. PREFIX defaults to ~/.local.
#   scripts/install-cli.sh            # then: renderfarm render "a red circle" --count 8 --out renders/
#   scripts/install-cli.sh /opt/rf    # /opt/rf/bin/renderfarm
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

prefix=$(realpath -m "${1:-$HOME/.local}")
target="$prefix/lib/renderfarm"

# A fresh folder, so that nothing of an earlier version stays beside the new one.
rm -rf "$target"
dotnet publish src/RenderFarm.Cli -c Release -o "$target" --nologo -v quiet
mkdir -p "$prefix/bin"
ln -sfn "$target/renderfarm" "$prefix/bin/renderfarm"
echo "install-cli.sh: $prefix/bin/renderfarm → $target"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "install-cli.sh: $prefix/bin is not on PATH; add it, or run $prefix/bin/renderfarm" ;;
esac
