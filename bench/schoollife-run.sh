#!/usr/bin/env bash
# Requests per second for /api/v1/hello, the homework list and the dashboard, side by side in one
# run against one Release build of Préau on 127.0.0.1 (SQLite, Production settings).
# Usage: bench/run.sh [pupils=30] [seconds=15] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
PUPILS=${1:-30}; SECONDS_PER_RUN=${2:-15}; CONNECTIONS=${3:-32}; PORT=${PREAU_BENCH_PORT:-5187}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }

dotnet build -c Release src/Preau.Web -v q -nologo | grep -E "error|FAILED" && exit 1 || true
dotnet build -c Release bench/Preau.SchoolLife.Bench -v q -nologo | grep -E "error|FAILED" && exit 1 || true
DATA=$(mktemp -d /tmp/preau-bench.XXXXXX)
ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$PORT" Storage__DataDirectory="$DATA" \
  Logging__LogLevel__Default=Warning Gate__Enabled=false Demo__Enabled=false dotnet src/Preau.Web/bin/Release/net10.0/Preau.Web.dll >"$DATA/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done

dotnet bench/Preau.SchoolLife.Bench/bin/Release/net10.0/Preau.SchoolLife.Bench.dll "$DATA/preau.db" "http://127.0.0.1:$PORT" "$PUPILS" "$DATA/pupils.lua"

run() { # name path [lua]
  local extra=(); [ -n "${3:-}" ] && extra=(-s "$3")
  # warm-up, then the measured run
  wrk -t2 -c"$CONNECTIONS" -d3s "${extra[@]}" "http://127.0.0.1:$PORT$2" >/dev/null
  local rps; rps=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -H "Accept-Encoding: br" "${extra[@]}" "http://127.0.0.1:$PORT$2" \
    | awk '/Requests\/sec/ {print $2}')
  echo "$1 $rps"
}
{
  run hello /api/v1/hello
  run homework /api/v1/homework "$DATA/pupils.lua"
  run homework-page /devoirs "$DATA/pupils.lua"
  run dashboard / "$DATA/pupils.lua"
  run hello-again /api/v1/hello
} | tee "$DATA/results.txt"
awk '$1=="hello"{h=$2} $1=="hello-again"{h2=$2} {r[$1]=$2} END {
  base=(h+h2)/2; printf "\nhello (mean of first and last run): %.0f req/s\n", base;
  for (k in r) if (k!="hello" && k!="hello-again") printf "%-14s %8.0f req/s  ratio to hello %.2f\n", k, r[k], r[k]/base }' "$DATA/results.txt"
