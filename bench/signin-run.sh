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
#   storm slice   wrk (bench/signin-storm.lua: C and Lua, almost no CPU) posts good passwords to
#                 POST /api/v1/auth/login over 16 connections (one per wrk thread; a held sign-in waits its
#                 Retry-After, as a browser does) while `read` (another process) reads GET /devoirs as a
#                 signed-in pupil, one page every 100 ms; both start at the same instant (the reader warms its
#                 connection and its JIT before it). The server's CPU is read thread by thread around each storm.
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
  sleep "$(awk -v s="$START" -v n="$(date +%s%3N)" 'BEGIN {d = (s - n) / 1000; print (d > 0 ? d : 0)}')"
  threads > "$WORK/before.tmp"
  wrk -t"$WORKERS" -c"$WORKERS" -d"${SLICE}s" -s bench/signin-storm.lua "$URL" | grep '^wrk' | tr '\n' ' ' >> "$WORK/drive.txt"
  threads > "$WORK/after.tmp"
  cpu_split "$WORK/before.tmp" "$WORK/after.tmp" >> "$WORK/drive.txt"
  wait "$READER"
done
RAW=$(awk '{h+=$2; t+=$3} END {printf "%.2f", h/t}' "$WORK/raw.txt")
# drive.txt: "wrk ok held other seconds hashing jit rest" (the last three: the server's CPU seconds in the storm)
SIGNINS=$(awk '{n+=$2; t+=$5} END {printf "%.2f", n/t}' "$WORK/drive.txt")
BUSY=$(awk '{b+=$3} END {print b+0}' "$WORK/drive.txt")
OTHER=$(awk '{b+=$4} END {print b+0}' "$WORK/drive.txt")
cat "$WORK"/read-*.txt | awk '{print $2}' | sort -n > "$WORK/read-sorted.txt"
COUNT=$(wc -l < "$WORK/read-sorted.txt")
pct() { awk -v n="$COUNT" -v q="$1" 'NR == int(n * q) + 1 {printf "%.1f", $1; exit}' "$WORK/read-sorted.txt"; }
echo
echo "| raw Argon2id (verifications/s, one loop per core) | sign-ins/s over HTTP (separate process) | ratio | 503 held | homework page p50 | p99 (third process) | homework samples |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
echo "| $RAW | $SIGNINS | $(awk -v a="$SIGNINS" -v b="$RAW" 'BEGIN {printf "%.2f×", a / b}') | $BUSY | $(pct 0.5) ms | $(pct 0.99) ms | $COUNT |"
echo
echo "CPU per verification, raw: $(awk '{h+=$2; c+=$4} END {printf "%.1f ms", 1000 * c / h}' "$WORK/raw.txt");" \
  "per sign-in, server: $(awk '{n+=$2; h+=$6; j+=$7; r+=$8} END {printf "hashing threads %.1f ms, background JIT %.1f ms, rest %.1f ms", 1000*h/n, 1000*j/n, 1000*r/n}' "$WORK/drive.txt");" \
  "answers other than 200/503: $OTHER"
echo
echo "| sign-in | users | journeys/s | per core | journey p50 | p99 | Argon2id hashes | sign-ins held (waited 2 s) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for users in ${USERS//,/ }; do
  for how in password device; do
    "${BENCH[@]}" journeys "$URL" "$users" $((SLICE * 2)) "$how"
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
