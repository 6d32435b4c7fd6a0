#!/usr/bin/env bash
# The gate's cost, side by side in one run on one machine (wrk, 127.0.0.1, Release, SQLite):
#   plain  : GET /api/v1/hello on an instance with the gate disabled (the yardstick)
#   admitted: GET /api/v1/hello on an instance with the gate on, with an admitted visitor's ticket
#   waiting : GET / with a queued visitor's ticket on the same instance (the waiting page itself)
# The per-IP and per-account limits are lifted (wrk is one address and one ticket); their store
# call still runs on every request. Usage: bench/gate-run.sh [seconds=10] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}; CONNECTIONS=${2:-32}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
dotnet build -c Release src/Preau.Web -v q -nologo | grep -E " error |FAILED" && exit 1 || true
WORK=$(mktemp -d /tmp/preau-gate-bench.XXXXXX)
LIFT=(--Gate:Limits:PerIp:PermitsPerSecond=1000000 --Gate:Limits:PerIp:Burst=1000000
  --Gate:Limits:PerAccount:PermitsPerSecond=1000000 --Gate:Limits:PerAccount:Burst=1000000
  --Gate:Limits:NewVisitorsPerIp:PermitsPerSecond=1000000 --Gate:Limits:NewVisitorsPerIp:Burst=1000000)
start() { # port data extra...
  local port=$1 data=$2; shift 2
  (cd src/Preau.Web && ASPNETCORE_ENVIRONMENT=Production dotnet bin/Release/net10.0/Preau.Web.dll --urls "http://127.0.0.1:$port" \
    --Storage:DataDirectory="$data" --Demo:Enabled=false --Logging:LogLevel:Default=Warning "$@" >"$data.log" 2>&1) &
}
start 5401 "$WORK/on" --Gate:MaxActiveUsers=1 --Gate:FairStartWindow=00:00:00 "${LIFT[@]}"
start 5402 "$WORK/off" --Gate:Enabled=false
trap 'pkill -f "127.0.0.1:540[12]" 2>/dev/null; rm -rf "$WORK"' EXIT
for p in 5401 5402; do for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.5; done; done

# One visitor takes the only place; the next one waits. A ticket is a cookie brought back: the first
# answer gives it, the second request (with it) takes the place or the position.
ticket() { # url [cookie]
  local h=(); [ -n "${2:-}" ] && h=(-H "Cookie: $2")
  curl -s -o /dev/null -D - "${h[@]}" "$1" | awk -F'[:;] *' 'tolower($1)=="set-cookie" && $2 ~ /^preau_gate=/ {print $2; exit}'
}
admitted=$(ticket http://127.0.0.1:5401/api/v1/hello "$(ticket http://127.0.0.1:5401/api/v1/gate/status)")
queued=$(ticket http://127.0.0.1:5401/ "$(ticket http://127.0.0.1:5401/api/v1/gate/status)")
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $queued" http://127.0.0.1:5401/)
bytes=$(curl -s -H "Cookie: $queued" http://127.0.0.1:5401/ | wc -c)
echo "waiting page: HTTP $status, $bytes bytes"

run() { # name url [cookie]
  local h=(); [ -n "${3:-}" ] && h=(-H "Cookie: $3")
  wrk -t2 -c"$CONNECTIONS" -d3s "${h[@]}" "$2" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" "${h[@]}" "$2" > "$WORK/$1.txt"
  echo "$1 $(awk '/Requests\/sec/ {print $2}' "$WORK/$1.txt") $(awk '/Non-2xx/ {print $5}' "$WORK/$1.txt")"
}
{
  run plain http://127.0.0.1:5402/api/v1/hello
  run admitted http://127.0.0.1:5401/api/v1/hello "$admitted"
  run waiting http://127.0.0.1:5401/ "$queued"
  run plain-again http://127.0.0.1:5402/api/v1/hello
} | tee "$WORK/results.txt"
awk '$1=="plain"{a=$2} $1=="plain-again"{b=$2} {r[$1]=$2; n[$1]=$3} END {
  base=(a+b)/2; printf "\nplain hello (mean of first and last): %.0f req/s\n", base;
  printf "admitted request through the gate: %.0f req/s, ratio %.2f\n", r["admitted"], r["admitted"]/base;
  printf "waiting page (503 by design, %s non-2xx): %.0f req/s, ratio %.2f\n", n["waiting"], r["waiting"], r["waiting"]/base }' "$WORK/results.txt"
