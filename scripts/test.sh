#!/usr/bin/env bash
# The one command that runs all tests: validates the Kubernetes manifests, installs the `renderfarm` command and
# renders with it, starts throwaway PostgreSQL, RabbitMQ and S3 (s3rver) servers on loopback, runs `dotnet test`, then
# the fault-injection suite (which stops and starts those servers under running farms), and stops the servers.
# Extra arguments go to `dotnet test` (and skip the fault-injection suite), e.g. scripts/test.sh --filter Category=Unit
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

log=$(mktemp -t rf-test-output.XXXXXX)
cleanup() {
  ./scripts/test-servers.sh stop || true
  rm -f "$log"
}
# Installed before `start` so a half-started set of servers is cleaned up too;
# INT/TERM go through `exit` so that the EXIT trap runs.
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The Kubernetes manifests (schemas, `kubectl kustomize`) and the Prometheus rules (promtool): no servers needed. A
# failure fails the run, after the tests.
manifests=0
./scripts/validate-manifests.sh || manifests=$?
./scripts/check-prometheus.sh || manifests=$?
# The documented install of the command (a publish, compiled ahead of time) and a render with it.
install=0
./scripts/check-cli-install.sh || install=$?
# The export tools' tests skip where python3 lacks torch: installed here so that a fresh machine runs them.
./scripts/install-python-torch.sh || install=$?

./scripts/test-servers.sh start
# shellcheck source=/dev/null
. .test-servers/env
echo "test.sh: PostgreSQL, RabbitMQ and S3 (s3rver) running on 127.0.0.1; running dotnet test"

status=0
dotnet test RenderFarm.sln -c Release "$@" 2>&1 | tee "$log" || status=$?

# One plain closing line summed over all test assemblies (dotnet test prints one per assembly).
sed -nE 's/^(Passed|Failed)! +- Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+),.*/\2 \3 \4/p' "$log" |
  awk '{ f += $1; p += $2; s += $3; n++ } END { if (n) printf "Total: %d passed, %d failed, %d skipped\n", p, f, s }'

# Last, because it restarts the servers under its own farms; it needs a build, so only after one succeeded. A run
# narrowed by arguments (a --filter) skips it.
faults=0
if (($# > 0)); then
  echo "test.sh: arguments given; the fault-injection suite (scripts/fault-injection.sh) is skipped"
elif ((status == 0)) || grep -qE '^(Passed|Failed)! ' "$log"; then
  ./scripts/fault-injection.sh || faults=$?
else
  faults=1
  echo "test.sh: the build failed; the fault-injection suite did not run"
fi

if ((faults != 0)); then
  echo "test.sh: the fault-injection suite failed (see its table above)"
  ((status != 0)) || status=$faults
fi

if ((manifests != 0)); then
  echo "test.sh: the Kubernetes manifests or Prometheus files are invalid (see validate-manifests / promtool above)"
  ((status != 0)) || status=$manifests
fi

if ((install != 0)); then
  echo "test.sh: the renderfarm command's install (scripts/check-cli-install.sh) or Debian's python3-torch (scripts/install-python-torch.sh) failed"
  ((status != 0)) || status=$install
fi
exit "$status"
