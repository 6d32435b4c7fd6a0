#!/usr/bin/env bash
# Issue 11: the closure morning against the real Préau with the gate's DEFAULT configuration (no tuning of
# the initial rate), gate on only, one node (SQLite, Release, Production settings).
# Usage: [PUPILS=800] [STRESS=1] [THINK_TIME=30s] [WALK_AWAY=0.2] [SAMPLE=1] bench/gate-closure.sh <label> [users=2000] [extra Préau arguments...]
#
# The three runs of the issue, on a quiet machine, one after the other (the region is seeded once, 2,050 accounts):
#   PUPILS=800 bench/gate-closure.sh quiet 2000
#   PUPILS=800 STRESS=1 bench/gate-closure.sh busy 2000          # `stress-ng --cpu 1` keeps one core busy
#   PUPILS=800 THINK_TIME=30s bench/gate-closure.sh places 400 --Gate:MaxActiveUsers=150
# The places run: few places and people who stay 2–5 minutes (7 pauses of 15–45 s), so departures, not the
# rate, set the pace; 400 people through 150 places take about 10 minutes (BENCHMARKS.md §27–§31).
# A harder variant adds WALK_AWAY=0.2: one in five closes the page instead of signing out, and their place
# frees only after the idle timeout (§29: 32–34 % of promises held; not solved).
# Each run ends with a summary to paste (also in $WORK/report-<label>/verdict.txt): promise accuracy,
# error pages, admitted p99, people who waited.
# SAMPLE=1 also samples the admission rate from /metrics each second into $WORK/report-<label>/rate.txt, for
# bench/gate-promise-replay.py (how each way of foreseeing the rate would have done on this morning, §33).
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
SAMPLER=
cleanup() {
  kill "$APP" 2>/dev/null || true
  [ -n "$STRESSPID" ] && kill "$STRESSPID" 2>/dev/null || true
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
if [ "${STRESS:-0}" = 1 ]; then stress-ng --cpu 1 --timeout 30m --quiet & STRESSPID=$!; fi
if [ "${SAMPLE:-0}" = 1 ]; then
  # epoch seconds, then the admission rate (users/s) as the gate's gauge says
  while m=$(curl -sf --max-time 2 "http://127.0.0.1:$PORT/metrics"); do
    echo "$(date +%s.%N) $(grep -E '^preau_gate_admission_rate' <<<"$m" | awk '{print $2}' | head -1)"
    sleep 1
  done > "$WORK/$LABEL-rate.txt" &
  SAMPLER=$!
fi
THINK=()
[ -n "${THINK_TIME:-}" ] && THINK=(--think "${THINK_TIME}")
"$SURGE" run --target "http://127.0.0.1:$PORT" --accounts "$WORK/accounts.csv" --users "$USERS" --window 60s --profile spike \
  --impatience 10s --duration-limit 15m --seed 42 "${THINK[@]}" --walk-away "${WALK_AWAY:-0}" --out "$WORK/report-$LABEL"
if [ -n "$SAMPLER" ]; then kill "$SAMPLER" 2>/dev/null || true; SAMPLER=; mv "$WORK/$LABEL-rate.txt" "$WORK/report-$LABEL/rate.txt"; fi
python3 - "$WORK/report-$LABEL/summary.json" "$LABEL" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY' | tee "$WORK/report-$LABEL/verdict.txt"
import json, sys
d = json.load(open(sys.argv[1]))
eta, adm = d["eta"], d["admitted"]
ok = lambda b: "yes" if b else "NO"
print(f"| {sys.argv[2]} ({d['usersArrived']} people, load after {sys.argv[3]}) | result | target met |")
print("|---|---|---|")
print(f"| people who waited in the gate (promises measured) | {d['usersQueued']} ({eta['samples']}) | |")
print(f"| promises within ±25 % | {eta['withinToleranceShare'] * 100:.1f} % (median error {eta['medianRelativeError'] * 100:.0f} %) | {ok(eta['withinToleranceShare'] >= 0.9)} |")
nn = d.get("waitWithoutNumber") or {}
print(f"| let in before any number was shown (\"en cours d'estimation\"): people, wait p50 / max | {d.get('usersWithoutNumber', 0)}, {nn.get('p50Ms', 0) / 1000:.0f} / {nn.get('maxMs', 0) / 1000:.0f} s | |")
print(f"| people who saw an error page | {d['usersWithErrorPage']} | {ok(d['usersWithErrorPage'] == 0)} |")
print(f"| admitted requests p50 / p99 | {adm['p50Ms']:.0f} / {adm['p99Ms']:.0f} ms | {ok(adm['p99Ms'] < 1000)} |")
print(f"| journeys completed / gave up | {d['journeysCompleted']} / {d['usersAbandoned']} | |")
print(f"| errors by kind | {', '.join(f'{k} {v}' for k, v in d['errorsByKind'].items() if v)} | |")
PY
echo "report: $WORK/report-$LABEL"
