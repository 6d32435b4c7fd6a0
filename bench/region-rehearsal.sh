#!/usr/bin/env bash
# Issue 14: the region rehearsal. On 127.0.0.1 only: PostgreSQL (pg_stat_statements on), Redis without
# persistence (a restart comes back EMPTY, the hard case), Préau published once and migrated, a region
# seeded, three nodes behind haproxy (deploy/haproxy.cfg, health checks on /readyz), and the surge
# simulator through haproxy. In the middle of the surge one node is killed with kill -9, then Redis is
# killed and restarted empty; the killed node is started again later, as systemd would.
#
# Usage: [SCHOOLS=2] [PUPILS=500] [USERS=400] [IMPATIENCE=10s] [DURATION=15m] [KILL_AT=40] [REDIS_AT=60] [REVIVE_AT=90] bench/region-rehearsal.sh [label]
#        NODES=1 INCIDENTS=0 bench/region-rehearsal.sh closure-pg    # the closure morning on PostgreSQL, one node, no
#                                                                      # haproxy, nothing killed: the per-node figures
#   SCHOOLS × PUPILS pupils (the seed adds their parents, teachers and staff: about 2.4 accounts per pupil).
#   KILL_AT / REDIS_AT / REVIVE_AT: seconds after the surge starts.
# Ports (env): PG_PORT 5444, REDIS_PORT 6394, NODE_PORTS "5107 5108 5109", LB_PORT 5120 (its stats page on LB_PORT+1).
# Needs: Debian packages postgresql, redis-server, haproxy (apt-get install haproxy); .NET SDK.
#
# Writes $WORK/<label>/verdict.txt: acknowledged writes lost (homework posted, ticks, messages, checked in
# PostgreSQL), error pages people met (those of the killed node's in-flight requests apart, from haproxy's
# log), queue positions lost, promise accuracy, time to recover, and the per-person figures on PostgreSQL
# (statements per person from pg_stat_statements, node CPU per person).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LABEL=${1:-rehearsal}
WORK=${PREAU_REHEARSAL_DIR:-/tmp/d-rehearsal}
PG_PORT=${PG_PORT:-5444}; REDIS_PORT=${REDIS_PORT:-6394}; LB_PORT=${LB_PORT:-5120}
read -r -a NODE_PORTS <<< "${NODE_PORTS:-5107 5108 5109}"
SCHOOLS=${SCHOOLS:-2}; PUPILS=${PUPILS:-500}; USERS=${USERS:-400}; WINDOW=${WINDOW:-60s}; IMPATIENCE=${IMPATIENCE:-10s}
KILL_AT=${KILL_AT:-40}; REDIS_AT=${REDIS_AT:-60}; REVIVE_AT=${REVIVE_AT:-90}
NODES=${NODES:-3}; INCIDENTS=${INCIDENTS:-1}
[ "$NODES" = 3 ] || [ "$INCIDENTS" = 0 ] || { echo "incidents need NODES=3" >&2; exit 2; }
OUT=$WORK/$LABEL
mkdir -p "$WORK"; rm -rf "$OUT"; mkdir -p "$OUT"
SURGE=$ROOT/src/Preau.Surge/bin/Release/net10.0/Preau.Surge
PUB=$WORK/publish
PIDS=()
REDIS_PID=; PG_STOP=()
now() { date +%s.%N | cut -c1-14; }
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/timeline.txt"; }

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  [ ${#PG_STOP[@]} -gt 0 ] && "${PG_STOP[@]}" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- PostgreSQL, kept between runs of the same WORK (the seed is the slow part) ---
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
RUN=(); [ "$(id -u)" -eq 0 ] && RUN=(runuser -u postgres --)
FRESH=0
if [ ! -d "$WORK/pg/data" ]; then
  mkdir -p "$WORK/pg"; [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$WORK/pg"
  "${RUN[@]}" "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  FRESH=1
fi
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pg -c max_connections=400 -c shared_preload_libraries=pg_stat_statements" start >/dev/null
PG_STOP=("${RUN[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast stop)
PSQL=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
[ "$FRESH" = 1 ] && "${PSQL[@]}" -c "CREATE DATABASE preau" && "${PSQL[@]}" -d preau -c "CREATE EXTENSION pg_stat_statements"
export Database__Provider=Postgres
export Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Database=preau;Username=postgres;Password=unused;Maximum Pool Size=100"

# --- Redis without persistence ---
start_redis() {
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --dir "$WORK" >> "$OUT/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "redis-server did not start" >&2; exit 1
}
start_redis

# --- publish once, migrate, seed ---
if [ ! -f "$PUB/Preau.Web.dll" ] || [ "${PUBLISH:-0}" = 1 ]; then
  log "publishing Préau"
  dotnet publish src/Preau.Web -c Release -o "$PUB" >/dev/null
fi
[ -x "$SURGE" ] || dotnet build src/Preau.Surge -c Release >/dev/null
cd "$PUB"
dotnet Preau.Web.dll migrate --Logging:LogLevel:Default=Warning | tail -n 1
if [ ! -f "$WORK/accounts.csv" ]; then
  log "seeding $SCHOOLS schools × $PUPILS pupils"
  start=$(now)
  dotnet Preau.Web.dll seed --schools "$SCHOOLS" --students-per-school "$PUPILS" --accounts-out "$WORK/accounts.csv" \
    --Storage:DataDirectory="$WORK/shared" --Demo:Enabled=false | tail -n 3
  log "seeded in $(echo "$(now) - $start" | bc) s"
fi

# --- three nodes sharing PostgreSQL, Redis, one signing key and one data directory ---
KEY=$(head -c 32 /dev/urandom | base64)
LIFT=(--Gate:Limits:PerIp:PermitsPerSecond=1000000 --Gate:Limits:PerIp:Burst=1000000
  --Gate:Limits:NewVisitorsPerIp:PermitsPerSecond=1000000 --Gate:Limits:NewVisitorsPerIp:Burst=1000000
  --Gate:Limits:SignInPerIp:PermitsPerSecond=1000000 --Gate:Limits:SignInPerIp:Burst=1000000)
declare -A NODE_PID
start_node() {
  local i=$1 port=${NODE_PORTS[$1]}
  ASPNETCORE_ENVIRONMENT=Production dotnet Preau.Web.dll --urls "http://127.0.0.1:$port" \
    --Storage:DataDirectory="$WORK/shared" --Demo:Enabled=false --Gate:Redis="127.0.0.1:$REDIS_PORT" \
    --Gate:SigningKey="$KEY" --Proxies:KnownProxies:0=127.0.0.1 "${LIFT[@]}" \
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:Preau.Gate=Information >> "$OUT/node$((i + 1)).log" 2>&1 &
  NODE_PID[$i]=$!
  PIDS+=("$!")
}
NODE_IDS=$(seq 0 $((NODES - 1)))
for i in $NODE_IDS; do start_node "$i"; done
for i in $NODE_IDS; do
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:${NODE_PORTS[$i]}/readyz" >/dev/null && break; sleep 0.5; done
done
log "nodes up: ${NODE_PORTS[*]:0:$NODES}"

TARGET=http://127.0.0.1:${NODE_PORTS[0]}
if [ "$NODES" = 3 ]; then
TARGET=http://127.0.0.1:$LB_PORT
# the repository's production configuration, addresses from the environment; -n: fewer connections than
# production's 20,000, which need a file-descriptor limit this machine may not grant
PREAU_LB_BIND=127.0.0.1:$LB_PORT PREAU_LB_STATS=127.0.0.1:$((LB_PORT + 1)) PREAU_NODE1=127.0.0.1:${NODE_PORTS[0]} \
  PREAU_NODE2=127.0.0.1:${NODE_PORTS[1]} PREAU_NODE3=127.0.0.1:${NODE_PORTS[2]} \
  haproxy -db -n 8000 -f "$ROOT/deploy/haproxy.cfg" > "$OUT/haproxy.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$LB_PORT/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$LB_PORT/readyz" >/dev/null || { echo "haproxy did not start: see $OUT/haproxy.log" >&2; exit 1; }
fi

# --- watch: every node's gate fallback gauge, twice a second ---
(
  set +e +o pipefail
  while true; do
    line="$(now)"
    for port in "${NODE_PORTS[@]:0:$NODES}"; do
      v=$(curl -s -m 1 "http://127.0.0.1:$port/metrics" 2>/dev/null | awk '/^preau_gate_store_fallback[{ ]/ {print $NF; exit}')
      line="$line ${v:-down}"
    done
    echo "$line"
    sleep 0.5
  done
) > "$OUT/fallback.txt" &
PIDS+=("$!")

cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
CPU_BEFORE=(0 0 0); CPU_AFTER=(0 0 0); KILLED_CPU=0
for i in $NODE_IDS; do CPU_BEFORE[$i]=$(cpu_of "${NODE_PID[$i]}"); done
"${PSQL[@]}" -d preau -c "SELECT pg_stat_statements_reset()" >/dev/null

# --- the surge, and the incidents in its middle ---
log "surge: $USERS people within $WINDOW through $TARGET"
SURGE_START=$(now)
"$SURGE" run --target "$TARGET" --accounts "$WORK/accounts.csv" --users "$USERS" --window "$WINDOW" \
  --profile spike --impatience "$IMPATIENCE" --duration-limit "${DURATION:-15m}" --seed 42 --walk-away 0 --out "$OUT/report" > "$OUT/surge.log" 2>&1 &
SURGE_PID=$!
PIDS+=("$SURGE_PID")
at() { local t; t=$(echo "$SURGE_START + $1 - $(now)" | bc); [ "${t:0:1}" != "-" ] && sleep "$t"; return 0; }

KILL_TIME=0; REDIS_DOWN=0; REDIS_UP=0; REVIVE_TIME=0
if [ "$INCIDENTS" = 1 ]; then
at "$KILL_AT"
KILLED_CPU=$(cpu_of "${NODE_PID[1]}")
kill -9 "${NODE_PID[1]}"
KILL_TIME=$(now); log "kill -9 node 2 (:${NODE_PORTS[1]}) at $KILL_TIME"
at "$REDIS_AT"
kill -9 "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
REDIS_DOWN=$(now); log "Redis killed at $REDIS_DOWN"
sleep "${REDIS_GAP:-5}"
start_redis
REDIS_UP=$(now); log "Redis restarted EMPTY at $REDIS_UP"
sleep 0.3; log "keys in Redis 0.3 s later: $(redis-cli -p "$REDIS_PORT" dbsize)"
at "$REVIVE_AT"
start_node 1
REVIVE_TIME=$(now); log "node 2 started again at $REVIVE_TIME"
CPU_BEFORE[1]=$(cpu_of "${NODE_PID[1]}")
fi

wait "$SURGE_PID" || true
SURGE_END=$(now); log "surge ended"
for i in $NODE_IDS; do CPU_AFTER[$i]=$(cpu_of "${NODE_PID[$i]}"); done
sleep 2

# --- the database's account of it ---
STATEMENTS=$("${PSQL[@]}" -d preau -c "SELECT coalesce(sum(calls), 0) || ' ' || round(coalesce(sum(total_exec_time), 0)::numeric, 0) FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'")
"${PSQL[@]}" -d preau -c "SELECT calls, round(mean_exec_time::numeric, 3), left(regexp_replace(query, '\s+', ' ', 'g'), 140) FROM pg_stat_statements ORDER BY calls DESC LIMIT 15" > "$OUT/top-statements.txt"
"${PSQL[@]}" -d preau > "$OUT/writes-check.txt" <<SQL
CREATE TEMP TABLE ack(kind text, id text, at text);
\copy ack FROM '$OUT/report/acknowledged-writes.csv' WITH (FORMAT csv, DELIMITER ';', HEADER true)
SELECT 'homework', count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM "HomeworkEntries" h WHERE h."Id"::text = a.id)) FROM ack a WHERE kind = 'homework';
SELECT 'tick', count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM "HomeworkDone" d WHERE d."EntryId"::text = split_part(a.id, ':', 1) AND d."PupilId"::text = split_part(a.id, ':', 2))) FROM ack a WHERE kind = 'tick';
SELECT 'message', count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM "Messages" m WHERE m."Id"::text = a.id)) FROM ack a WHERE kind = 'message';
SQL

python3 - "$OUT" "$KILL_TIME" "$REDIS_DOWN" "$REDIS_UP" "$REVIVE_TIME" "$SURGE_START" "$SURGE_END" "$STATEMENTS" \
  "$(( ${CPU_AFTER[0]} - ${CPU_BEFORE[0]} + ${CPU_AFTER[2]} - ${CPU_BEFORE[2]} + ${CPU_AFTER[1]} - ${CPU_BEFORE[1]} + KILLED_CPU ))" \
  "$(getconf CLK_TCK)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$SCHOOLS" "$PUPILS" <<'PY' | tee "$OUT/verdict.txt"
import json, sys, datetime
out, kill, rdown, rup, revive, s0, s1 = sys.argv[1], *map(float, sys.argv[2:8])
(statements, exec_ms), cpu_ticks, hz, load, schools, pupils = map(int, sys.argv[8].split()), int(sys.argv[9]), int(sys.argv[10]), sys.argv[11], sys.argv[12], sys.argv[13]
d = json.load(open(f"{out}/report/summary.json"))
ok = lambda b: "yes" if b else "NO"

writes = {}
for line in open(f"{out}/writes-check.txt"):
    kind, total, lost = line.strip().split("|")
    writes[kind] = (int(total), int(lost))
lost = sum(l for _, l in writes.values())

# haproxy's standard HTTP log (option httplog): client [accept date] frontend backend/server timers status
# bytes cookies termination-state conns queues "method path version"
import os, re
incidents = kill > 0
hap = []
httplog = re.compile(r'^\S+ \[(\d+/\w+/\d+:\d+:\d+:\d+\.\d+)\] \S+ \S+/(\S+) \S+ (-?\d+) \S+ \S+ \S+ (\S+) \S+ \S+ "(\S+) (\S+)')
for line in (open(f"{out}/haproxy.log") if os.path.exists(f"{out}/haproxy.log") else []):
    m = httplog.match(line)
    if m:
        at = datetime.datetime.strptime(m[1], "%d/%b/%Y:%H:%M:%S.%f").timestamp()  # haproxy logs local time
        hap.append((at, m[2], int(m[3]), m[4], m[5], m[6]))
bad = [h for h in hap if h[2] >= 500 or h[2] < 0]
inflight = [h for h in bad if h[1] == "node2" and kill - 1 <= h[0] <= kill + 15]
other = [h for h in bad if h not in inflight]
# when haproxy stopped sending to n2: its last request accepted after the kill
n2_after = [h[0] for h in hap if h[1] == "node2" and kill <= h[0] < revive]
n2_out = (max(n2_after) - kill) if n2_after else 0.0

# surge errors by time window
errs = []
for line in list(open(f"{out}/report/errors.csv"))[1:]:
    at, step, kind = line.strip().split(";")
    errs.append((datetime.datetime.fromisoformat(at).timestamp(), step, kind))
def window(a, b): return [e for e in errs if a <= e[0] < b]
near_kill = window(kill - 1, kill + max(n2_out, 1) + 12)   # in flight on n2 or answered 502 until haproxy saw it down
near_redis = window(rdown, rup + 15)
elsewhere = [e for e in errs if e not in near_kill and e not in near_redis]
from collections import Counter
kinds = lambda es: ", ".join(f"{k} {v}" for k, v in Counter(e[2] for e in es).most_common()) or "none"

# fallback gauge: last sample where a live node still reported 1 after Redis came back
fb_back = None
for line in open(f"{out}/fallback.txt"):
    p = line.split()
    if len(p) == 4 and float(p[0]) >= rup:
        vals = [v for v in p[1:] if v != "down"]
        if vals and all(v == "0" for v in vals):
            fb_back = float(p[0]) - rup
            break

eta, adm = d["eta"], d["admitted"]
people = max(1, d["usersArrived"])
admitted_people = people - d["usersAbandoned"]
print(f"| rehearsal {sys.argv[1].split('/')[-1]}: {people} people, {schools}×{pupils} pupils, PostgreSQL, Redis, {'3 nodes, haproxy' if incidents else 'nodes as started, nothing killed'} (load after {load}) | result | target met |")
print("|---|---|---|")
for kind in ("homework", "tick", "message"):
    t, l = writes.get(kind, (0, 0))
    print(f"| acknowledged {kind} writes found in PostgreSQL | {t - l} of {t} | {ok(l == 0)} |")
print(f"| acknowledged writes lost | {lost} | {ok(lost == 0)} |")
print(f"| people who met an error page (any) | {d['usersWithErrorPage']} of {people} | |")
if incidents:
  print(f"| haproxy 5xx from the killed node's in-flight requests | {len(inflight)} ({', '.join(sorted(set(f'{h[2]} {h[3]}' for h in inflight))) or '-'}) | counted apart |")
  print(f"| haproxy 5xx otherwise | {len(other)} ({Counter((h[1], h[2]) for h in other).most_common(6)}) | {ok(len(other) == 0)} |")
  print(f"| errors people met around the kill (until haproxy stopped n2 + 12 s) | {len(near_kill)}: {kinds(near_kill)} | |")
  print(f"| errors people met around the Redis restart (down → up + 15 s) | {len(near_redis)}: {kinds(near_redis)} | |")
  print(f"| errors people met at other times | {len(elsewhere)}: {kinds(elsewhere)} | {ok(not [e for e in elsewhere if e[2] != 'Timeout'])} |")
print(f"| queued people sent further back at least once (positions lost) | {d.get('positionsLost', 0)} of {d['usersQueued']} queued | {ok(d.get('positionsLost', 0) == 0)} |")
print(f"| errors people met, by kind | {len(errs)}: {kinds(errs)} | |")
print(f"| promises within ±25 % | {eta['withinToleranceShare'] * 100:.1f} % of {eta['samples']} (median error {eta['medianRelativeError'] * 100:.0f} %) | {ok(eta['withinToleranceShare'] >= 0.9)} |")
if incidents:
  print(f"| last request haproxy sent to the killed node, after the kill | {n2_out:.1f} s | |")
  print(f"| nodes back on the shared gate after Redis restarted | {'%.1f s' % fb_back if fb_back is not None else 'not seen'} | |")
print(f"| admitted requests p50 / p99 | {adm['p50Ms']:.0f} / {adm['p99Ms']:.0f} ms | |")
print(f"| journeys completed / failed / gave up | {d['journeysCompleted']} / {d['journeysFailed']} / {d['usersAbandoned']} | |")
print(f"| SQL statements (pg_stat_statements) | {statements} = {statements / people:.1f} per person, {statements / max(1, d['requests']):.2f} per request (gate polls included) | |")
print(f"| PostgreSQL execution time | {exec_ms / 1000:.1f} s = {exec_ms / max(1, statements) * 1000:.0f} µs per statement → {statements / max(0.001, exec_ms / 1000):,.0f} statements per busy second | |")
print(f"| requests (all, gate polls included) | {d['requests']} = {d['requests'] / people:.1f} per person; {d['throughput']['requestsPerJourney']:.1f} per person without polls | |")
print(f"| admitted per second: peak / sustained (p99 < 1 s) | {d['throughput']['peakAdmittedPerSecond']:.0f} / {d['throughput']['sustainedAdmittedPerSecond']:.0f} | |")
print(f"| node CPU (all nodes) | {cpu_ticks / hz:.1f} s = {cpu_ticks / hz / people * 1000:.0f} ms per person | |")
print(f"| surge duration | {s1 - s0:.0f} s | |")
PY
log "verdict: $OUT/verdict.txt"
