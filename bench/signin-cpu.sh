#!/usr/bin/env bash
# Issue 17: where the CPU of a sign-in goes, from CPU accounting rather than wall time, so that it can be
# measured on a busy machine (CPU seconds per sign-in barely move with other people's load; rates do).
#
#   bench/signin-cpu.sh [seconds per slice=10] [rounds=3] [login workers=16] [perf seconds=0] [hashing concurrency]
#
# The server is bench/signin-run.sh's (`serve`: real app on Kestrel, Production settings, SQLite, gate off,
# adaptive lane unless a concurrency is given). Its threads' CPU (utime+stime from /proc/<pid>/task/*/stat)
# is split three ways: the hashing threads (preau-hashing-*), the runtime's background JIT (".NET Tiered
# Com…": tier-0 → instrumented → tier-1 recompilation) and everything else (requests, EF, SQLite, GC).
#   1. cold: the first slice of sign-ins on a node that has served nothing yet (what a node restarted at
#      8:59 pays);
#   2. warm-up: more slices until the background JIT takes under 5 % of the server's CPU (at most 20);
#   3. per round: `raw` hashes alone (CPU per Argon2id verification, one loop per core), then a storm.
# The driver (`drive`, a separate process) reports its own CPU during the storm.
# With perf seconds > 0, `perf record` samples the warm server during one more storm; the top symbols go to
# $PREAU_BENCH_DIR/perf-top.txt (JIT symbols through DOTNET_PerfMapEnabled).
set -euo pipefail
cd "$(dirname "$0")/.."
SLICE=${1:-10}; ROUNDS=${2:-3}; WORKERS=${3:-16}; PERF=${4:-0}; LANE=${5:-}
PORT=${PORT:-5118}
WORK=${PREAU_BENCH_DIR:-/tmp/signin-cpu}
URL="http://127.0.0.1:$PORT"
. bench/server-cpu.sh
if [ "$PERF" -gt 0 ]; then export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0; fi
start_server
unset DOTNET_PerfMapEnabled DOTNET_EnableWriteXorExecute
# Per sign-in, in ms: hashing, JIT, rest, driver (from lines written by storm).
per_signin() {
  awk '{n += $2; d += $5; h += $7; j += $8; r += $9} END {
    printf "%d sign-ins; server CPU per sign-in %.1f ms = hashing threads %.1f + background JIT %.1f + the rest %.1f; driver %.1f ms\n",
      n, 1000 * (h + j + r) / n, 1000 * h / n, 1000 * j / n, 1000 * r / n, 1000 * d / n}' "$1"
}
echo "# $(nproc) cores; slices of ${SLICE} s × ${ROUNDS}; ${WORKERS} login workers; lane ${LANE:-adaptive}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
storm "$SLICE" > "$WORK/cold.txt"
echo "cold node, first ${SLICE} s: $(per_signin "$WORK/cold.txt")"
warm_up "$SLICE"
for _ in $(seq 1 "$ROUNDS"); do
  "${BENCH[@]}" raw "$SLICE" >> "$WORK/raw.txt"
  storm "$SLICE" >> "$WORK/warm.txt"
done
awk '{h += $2; c += $4} END {printf "raw Argon2id: %d verifications, %.1f ms CPU each\n", h, 1000 * c / h}' "$WORK/raw.txt"
echo "warm node: $(per_signin "$WORK/warm.txt")"
if [ "$PERF" -gt 0 ]; then
  perf record -F 999 -g -p "$SERVER" -o "$WORK/perf.data" -- sleep "$PERF" > "$WORK/perf.log" 2>&1 &
  PERFPID=$!
  "${BENCH[@]}" drive "$URL" "$WORKERS" "$PERF" > "$WORK/drive-perf.txt"
  wait "$PERFPID" || true
  perf report -i "$WORK/perf.data" --no-children --sort comm,dso --stdio -g none 2> /dev/null > "$WORK/perf-dso.txt" || true
  perf report -i "$WORK/perf.data" --no-children --sort dso,sym --stdio -g none --percent-limit 0.3 2> /dev/null > "$WORK/perf-top.txt" || true
  echo "perf: $WORK/perf-dso.txt, $WORK/perf-top.txt"
fi
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
