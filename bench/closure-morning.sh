#!/usr/bin/env bash
# Closure morning (issue 5): USERS seeded people arriving within 60 s against one Préau node
# (SQLite, Release, Production settings), gate on then gate off, same schedule, one invocation.
# The region is seeded once (passwords hashed for real: a few minutes) and reused.
# Usage: bench/closure-morning.sh [users=20000] [initial-admission-rate=10] [schools=8] [pupils-per-school=1000]
# All simulated people share 127.0.0.1, so the gate's per-IP backstops are lifted (a region has
# many addresses); per-account limits stay as configured.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${1:-20000}; INITIAL=${2:-10}; SCHOOLS=${3:-8}; PUPILS=${4:-1000}
WORK=${PREAU_BENCH_DIR:-/tmp/preau-closure}
ROOT=$(pwd)
dotnet build -c Release src/Preau.Web -v q -nologo | grep -E " error |FAILED" && exit 1 || true
dotnet build -c Release src/Preau.Surge -v q -nologo | grep -E " error |FAILED" && exit 1 || true
WEB=$ROOT/src/Preau.Web/bin/Release/net10.0/Preau.Web.dll
SURGE=$ROOT/src/Preau.Surge/bin/Release/net10.0/Preau.Surge
mkdir -p "$WORK"
if [ ! -f "$WORK/accounts.csv" ]; then
  dotnet "$WEB" seed --schools "$SCHOOLS" --students-per-school "$PUPILS" --accounts-out "$WORK/accounts.csv" \
    --Storage:DataDirectory="$WORK/data" --Demo:Enabled=false
fi
rm -rf "$WORK/on" "$WORK/off" "$WORK/report"
cp -r "$WORK/data" "$WORK/on"; cp -r "$WORK/data" "$WORK/off"
LIFT=(--Gate:Limits:PerIp:PermitsPerSecond=1000000 --Gate:Limits:PerIp:Burst=1000000
  --Gate:Limits:NewVisitorsPerIp:PermitsPerSecond=1000000 --Gate:Limits:NewVisitorsPerIp:Burst=1000000
  --Gate:Limits:SignInPerIp:PermitsPerSecond=1000000 --Gate:Limits:SignInPerIp:Burst=1000000)
cd src/Preau.Web   # content root: the stylesheet is served as in production
ASPNETCORE_ENVIRONMENT=Production dotnet "$WEB" --urls http://127.0.0.1:5301 --Storage:DataDirectory="$WORK/on" --Demo:Enabled=false \
  --Gate:InitialAdmissionsPerSecond="$INITIAL" "${LIFT[@]}" --Logging:LogLevel:Default=Warning > "$WORK/on.log" 2>&1 &
ON=$!
ASPNETCORE_ENVIRONMENT=Production dotnet "$WEB" --urls http://127.0.0.1:5302 --Storage:DataDirectory="$WORK/off" --Demo:Enabled=false \
  --Gate:Enabled=false --Logging:LogLevel:Default=Warning > "$WORK/off.log" 2>&1 &
OFF=$!
trap 'kill $ON $OFF 2>/dev/null' EXIT
for p in 5301 5302; do for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.5; done; done
"$SURGE" compare --target-a http://127.0.0.1:5301 --target-b http://127.0.0.1:5302 --label-a "gate on" --label-b "gate off" \
  --accounts "$WORK/accounts.csv" --users "$USERS" --window 60s --profile spike --impatience 10s --duration-limit 15m \
  --seed 42 --out "$WORK/report"
echo "report: $WORK/report/comparison.md"
