#!/usr/bin/env bash
# Runs the messaging benchmark on SQLite and on a private PostgreSQL (started and stopped here).
# Usage: PREAU_PG_PORT=55482 PREAU_REDIS_PORT=56429 bench/run-messaging-bench.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/services.sh
preau_start_services
runs="${1:-20}"
dotnet build -c Release bench/Preau.Bench.Messaging >/dev/null
dotnet run -c Release --no-build --project bench/Preau.Bench.Messaging -- sqlite "$runs"
PREAU_BENCH_POSTGRES="$PREAU_TEST_POSTGRES;Database=preau_bench" \
  dotnet run -c Release --no-build --project bench/Preau.Bench.Messaging -- postgres "$runs"
