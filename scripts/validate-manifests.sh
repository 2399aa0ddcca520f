#!/usr/bin/env bash
# Validates the Kubernetes manifests: every document of k8s/*.yaml against the Kubernetes JSON schemas of the npm
# kubernetes-models packages, and `kubectl kustomize k8s/` must render (its output is validated the same way).
# Installs what is missing: Node.js and npm, kubectl (Debian's kubernetes-client where no kubectl is installed),
# and the pinned npm packages under .manifest-check/. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# kubernetes-models 5.1.0 declares node >= 22 but runs on Debian 12's node 18/20 (checked: only its engines field says so).
NPM_PACKAGES=(kubernetes-models@5.1.0 @kubernetes-models/keda@2.0.0 yaml@2.9.1)
STATE_DIR=.manifest-check

log() { echo "validate-manifests: $*" >&2; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

pkgs=()
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)
command -v kubectl >/dev/null || pkgs+=(kubernetes-client)
if ((${#pkgs[@]})); then
  log "apt-get install ${pkgs[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >/dev/null
fi

stamp="$STATE_DIR/installed"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "${NPM_PACKAGES[*]}" ]]; then
  log "npm install ${NPM_PACKAGES[*]}"
  mkdir -p "$STATE_DIR"
  npm install --prefix "$STATE_DIR" --no-audit --no-fund --loglevel=error "${NPM_PACKAGES[@]}" >/dev/null
  echo "${NPM_PACKAGES[*]}" >"$stamp"
fi
# Node resolves packages from the script's folder upwards: run a copy beside node_modules.
cp scripts/validate-manifests.mjs "$STATE_DIR/validate-manifests.mjs"

rendered="$STATE_DIR/rendered.yaml"
if ! kubectl kustomize k8s/ >"$rendered"; then
  log "kubectl kustomize k8s/ failed"
  exit 1
fi
log "kubectl kustomize k8s/ rendered $(grep -c '^kind:' "$rendered") objects"

node "$STATE_DIR/validate-manifests.mjs" k8s/*.yaml "$rendered"
