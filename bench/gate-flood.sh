#!/usr/bin/env bash
# Issue 11: a flood while pupils wait. One Préau node, default gate configuration except two places (so a
# queue exists), 127.0.0.1 only, bounded in time. Pupils sign in and wait; then for FLOOD_SECONDS:
#   - wrk sends cookie-less GET / (each request a new "visitor" that never comes back),
#   - slowhttptest holds 500 slow-body POSTs against /connexion.
# Before, during and after, the waiting pupils read their position and promise.
# Usage: bench/gate-flood.sh [flood-seconds=20]   (needs the accounts of bench/gate-closure.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
FLOOD_SECONDS=${1:-20}
WORK=${PREAU_BENCH_DIR:-/tmp/c-gate-closure}
PORT=${PORT:-5106}
ROOT=$(pwd)
WEB=$ROOT/src/Preau.Web/bin/Release/net10.0/Preau.Web.dll
URL="http://127.0.0.1:$PORT"
rm -rf "$WORK/flood" "$WORK/jars"; cp -r "$WORK/data" "$WORK/flood"; mkdir -p "$WORK/jars"
(cd src/Preau.Web && ASPNETCORE_ENVIRONMENT=Production exec dotnet "$WEB" --urls "$URL" --Storage:DataDirectory="$WORK/flood" \
  --Demo:Enabled=false --Gate:MaxActiveUsers=2 --Logging:LogLevel:Default=Warning > "$WORK/flood.log" 2>&1) &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.5; done

mapfile -t PUPILS < <(awk -F, 'NR>1 && $3 == "eleve" {print $1","$2}' "$WORK/accounts.csv" | head -6)
signin() { # n login password
  curl -s -o /dev/null -c "$WORK/jars/$1" -b "$WORK/jars/$1" -H 'Content-Type: application/json' \
    -d "{\"login\":\"$2\",\"password\":\"$3\"}" "$URL/api/v1/auth/login"
  curl -s -o /dev/null -c "$WORK/jars/$1" -b "$WORK/jars/$1" "$URL/"
}
status() { # n
  curl -s -c "$WORK/jars/$1" -b "$WORK/jars/$1" "$URL/api/v1/gate/status" \
    | python3 -c 'import json,sys; s=json.load(sys.stdin); e=s.get("etaSeconds") or {}; print(s["state"], s.get("position"), e.get("low"), e.get("high"))'
}
for i in "${!PUPILS[@]}"; do IFS=, read -r login password <<< "${PUPILS[$i]}"; signin "$i" "$login" "$password"; done
report() { echo "== $1"; for i in 2 3 4 5; do echo "pupil $i: $(status $i)"; done; curl -s "$URL/statut" | grep -o '([0-9]* personnes en attente)' || echo "(no queue on /statut)"; }
report "before the flood"

wrk -t2 -c64 -d"${FLOOD_SECONDS}s" "$URL/" > "$WORK/wrk.txt" 2>&1 &
WRK=$!
slowhttptest -B -c 500 -r 200 -i 10 -s 8192 -l "$FLOOD_SECONDS" -t POST -u "$URL/connexion" -p 3 -g -o "$WORK/slow" > "$WORK/slow.txt" 2>&1 &
SLOW=$!
sleep $(( FLOOD_SECONDS / 2 ))
report "during the flood"
wait $WRK || true
wait $SLOW || true
report "after the flood"
echo "== wrk (cookie-less GET /)"; grep -E "requests in|Non-2xx|Requests/sec" "$WORK/wrk.txt"
echo "== slowhttptest"; grep -E "service available|closed|pending|connected" "$WORK/slow.txt" | tail -4
echo "== health"; curl -s -o /dev/null -w "GET /healthz %{http_code} in %{time_total}s\n" "$URL/healthz"
