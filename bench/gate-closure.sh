#!/usr/bin/env bash
# Issue 11: the closure morning against the real Préau with the gate's DEFAULT configuration (no tuning of
# the initial rate), gate on only, one node (SQLite, Release, Production settings).
# Usage: bench/gate-closure.sh <label> [users=2000] [extra Préau arguments...]
#   bench/gate-closure.sh quiet 2000
#   bench/gate-closure.sh busy 2000            # run with `stress-ng --cpu 1` alongside (see below)
#   bench/gate-closure.sh places 2000 --Gate:MaxActiveUsers=150   # places, not the rate, are the limit
# STRESS=1 starts `stress-ng --cpu 1` for the run. THINK_TIME=30s makes people stay a few minutes (think time between steps).
# All simulated people share 127.0.0.1, so the per-IP backstops are lifted (a region has many addresses).
set -euo pipefail
cd "$(dirname "$0")/.."
LABEL=${1:?label}; USERS=${2:-2000}; shift 2 || true
WORK=${PREAU_BENCH_DIR:-/tmp/c-gate-closure}
PORT=${PORT:-5105}
ROOT=$(pwd)
WEB=$ROOT/src/Preau.Web/bin/Release/net10.0/Preau.Web.dll
SURGE=$ROOT/src/Preau.Surge/bin/Release/net10.0/Preau.Surge
mkdir -p "$WORK"
if [ ! -f "$WORK/accounts.csv" ]; then
  dotnet "$WEB" seed --schools 1 --students-per-school "${PUPILS:-400}" --accounts-out "$WORK/accounts.csv" \
    --Storage:DataDirectory="$WORK/data" --Demo:Enabled=false
fi
rm -rf "$WORK/$LABEL" "$WORK/report-$LABEL"
cp -r "$WORK/data" "$WORK/$LABEL"
LIFT=(--Gate:Limits:PerIp:PermitsPerSecond=1000000 --Gate:Limits:PerIp:Burst=1000000
  --Gate:Limits:NewVisitorsPerIp:PermitsPerSecond=1000000 --Gate:Limits:NewVisitorsPerIp:Burst=1000000
  --Gate:Limits:SignInPerIp:PermitsPerSecond=1000000 --Gate:Limits:SignInPerIp:Burst=1000000)
cd src/Preau.Web
ASPNETCORE_ENVIRONMENT=Production dotnet "$WEB" --urls "http://127.0.0.1:$PORT" --Storage:DataDirectory="$WORK/$LABEL" \
  --Demo:Enabled=false "${LIFT[@]}" --Logging:LogLevel:Default=Warning "$@" > "$WORK/$LABEL.log" 2>&1 &
APP=$!
STRESSPID=
cleanup() { kill "$APP" 2>/dev/null || true; [ -n "$STRESSPID" ] && kill "$STRESSPID" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
if [ "${STRESS:-0}" = 1 ]; then stress-ng --cpu 1 --timeout 30m --quiet & STRESSPID=$!; fi
THINK=()
[ -n "${THINK_TIME:-}" ] && THINK=(--think "${THINK_TIME}")
"$SURGE" run --target "http://127.0.0.1:$PORT" --accounts "$WORK/accounts.csv" --users "$USERS" --window 60s --profile spike \
  --impatience 10s --duration-limit 15m --seed 42 "${THINK[@]}" --out "$WORK/report-$LABEL"
echo "report: $WORK/report-$LABEL"
