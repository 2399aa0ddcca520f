#!/usr/bin/env bash
# Checks the Prometheus files in deploy/prometheus/ with Debian's promtool (the `prometheus` package, installed if
# missing): the alert rules, and the configuration that loads them. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v promtool >/dev/null; then
  echo "check-prometheus: apt-get install prometheus (for promtool)" >&2
  if [[ $(id -u) -eq 0 ]]; then as_root=(); else as_root=(sudo); fi
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null
  # On a systemd machine apt starts the packaged server; the farm never uses it.
  if [[ -d /run/systemd/system ]]; then "${as_root[@]}" systemctl disable --now prometheus >/dev/null 2>&1 || true; fi
fi

promtool check rules deploy/prometheus/alerts.yml
promtool check config --syntax-only deploy/prometheus/prometheus.yml
