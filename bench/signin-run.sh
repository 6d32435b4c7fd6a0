#!/usr/bin/env bash
# Issue 17, measured fairly: the server, the sign-in storm, the homework reader and the raw Argon2id
# loop are four separate processes (bench/Preau.Bench.SignIn, roles in Roles.cs), so that no load
# generator shares the measured process.
#
#   bench/signin-run.sh [seconds per slice=6] [rounds=5] [login workers=16] [journey users=8,32] [hashing concurrency]
#
# The server: the real app on Kestrel, Production settings, SQLite, gate off, adaptive hashing lane (or a
# fixed lane if the fifth argument is given), one class of 120 pupils and a realistic week (26 lessons,
# 20 homework entries in Markdown posted through the API by the teacher: the homework page has content).
# Rounds alternate, with the server idle during the raw slice:
#   raw slice     one Argon2id loop per core, nothing else (the machine's raw rate)
#   storm slice   `drive` posts good passwords to POST /api/v1/auth/login from 16 workers while `read`
#                 (another process) reads GET /devoirs as a signed-in pupil, one page every 100 ms; both start at the same instant
#                 (each warms its connections and its own JIT before it)
# Before the rounds, the server is warmed up with sign-ins until its background JIT is quiet (warm_up).
# Then cold journeys (sign-in, dashboard, homework page, sign-out; closed loop) with a password and with a
# remembered device, from another process, in journeys per second and per core.
# Prints the summary to paste into BENCHMARKS.md; everything else is in $PREAU_BENCH_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
SLICE=${1:-6}; ROUNDS=${2:-5}; WORKERS=${3:-16}; USERS=${4:-8,32}; LANE=${5:-}
PORT=${PORT:-5117}
WORK=${PREAU_BENCH_DIR:-/tmp/signin-run}
URL="http://127.0.0.1:$PORT"
. bench/server-cpu.sh
start_server
echo "# $(nproc) cores; slices of ${SLICE} s × ${ROUNDS}; ${WORKERS} login workers; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# A node that has just started spends more CPU recompiling its hot code than hashing (bench/signin-cpu.sh):
# the rounds start once that is over, so that they measure sign-ins and not the runtime's warm-up.
warm_up 5
at() { echo $(( $(date +%s%3N) + ${1:-1500} )); }
for round in $(seq 1 "$ROUNDS"); do
  "${BENCH[@]}" raw "$SLICE" "$(at 800)" >> "$WORK/raw.txt"
  START=$(at 2500)   # the reader signs in and warms up before it
  "${BENCH[@]}" read "$URL" "$SLICE" "$START" > "$WORK/read-$round.txt" &
  READER=$!
  "${BENCH[@]}" drive "$URL" "$WORKERS" "$SLICE" "$START" >> "$WORK/drive.txt"
  wait "$READER"
done
RAW=$(awk '{h+=$2; t+=$3} END {printf "%.2f", h/t}' "$WORK/raw.txt")
SIGNINS=$(awk '{n+=$2; t+=$4} END {printf "%.2f", n/t}' "$WORK/drive.txt")
BUSY=$(awk '{b+=$3} END {print b+0}' "$WORK/drive.txt")
cat "$WORK"/read-*.txt | awk '{print $2}' | sort -n > "$WORK/read-sorted.txt"
COUNT=$(wc -l < "$WORK/read-sorted.txt")
pct() { awk -v n="$COUNT" -v q="$1" 'NR == int(n * q) + 1 {printf "%.1f", $1; exit}' "$WORK/read-sorted.txt"; }
echo
echo "| raw Argon2id (verifications/s, one loop per core) | sign-ins/s over HTTP (separate process) | ratio | 503 held | homework page p50 | p99 (third process) | homework samples |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
echo "| $RAW | $SIGNINS | $(awk -v a="$SIGNINS" -v b="$RAW" 'BEGIN {printf "%.2f×", a / b}') | $BUSY | $(pct 0.5) ms | $(pct 0.99) ms | $COUNT |"
echo
echo "| sign-in | users | journeys/s | per core | journey p50 | p99 | Argon2id hashes | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for users in ${USERS//,/ }; do
  for how in password device; do
    "${BENCH[@]}" journeys "$URL" "$users" $((SLICE * 2)) "$how"
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
