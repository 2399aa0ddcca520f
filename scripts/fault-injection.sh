#!/usr/bin/env bash
# The fault-injection suite (README "Failures"): for each fault (kill -9 of a worker mid-batch, RabbitMQ restarted,
# PostgreSQL restarted, S3 stopped for 30 s, kill -9 of the coordinator, a worker whose engine always fails) a fresh
# farm of real processes renders a job on the servers scripts/test-servers.sh runs (started here when they are not
# running); prints each fault's recovery time and fails unless every job completed with each image rendered exactly
# once and the farm served a new job within 30 s of every fault's end.
# Extra arguments go to the suite, e.g. scripts/fault-injection.sh --only stop-s3 --markdown faults.md
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

dotnet build bench/RenderFarm.Bench -c Release -v quiet -nologo >/dev/null ||
  { dotnet build bench/RenderFarm.Bench -c Release -v quiet -nologo; exit 1; }
exec dotnet bench/RenderFarm.Bench/bin/Release/net10.0/RenderFarm.Bench.dll faults "$@"
