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
#                 signed-in pupil, one page every 100 ms; both start at the same instant (the reader is one
#                 process for the whole run, warmed once). The server's CPU is read thread by thread around each
#                 storm, and the whole machine's from /proc/stat.
# Before the rounds, the server is warmed up with the same storm slices until its background JIT is quiet.
# Then cold journeys (sign-in, dashboard, homework page, sign-out; closed loop) with a password and with a
# remembered device, from another process, in journeys per second and per core.
# Prints the summary to paste into BENCHMARKS.md; everything else is in $PREAU_BENCH_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
SLICE=${1:-6}; ROUNDS=${2:-5}; WORKERS=${3:-16}; USERS=${4:-8,32}; LANE=${5:-}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
PORT=${PORT:-5117}
WORK=${PREAU_BENCH_DIR:-/tmp/signin-run}
URL="http://127.0.0.1:$PORT"
. bench/server-cpu.sh
start_server
echo "# $(nproc) cores; slices of ${SLICE} s × ${ROUNDS}; ${WORKERS} login workers; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The hashing lane's size from /metrics every second for $1 seconds, one per line (a curl costs ~10 ms of CPU).
lane_sizes() {
  local until=$(( $(date +%s%3N) + ${1} * 1000 ))
  while [ "$(date +%s%3N)" -lt "$until" ]; do
    curl -s "$URL/metrics" | awk '/^preau_hashing_lane_size/ {print $2}'
    sleep 1
  done
}
# The whole machine's CPU between two /proc/stat "cpu" lines, in CPU-seconds.
machine_split() {
  paste -d' ' "$1" "$2" | awk -v t="$(getconf CLK_TCK)" '
    function d(k) {return ($(k + NF / 2) - $k) / t}
    {printf "user %.2f nice %.2f system %.2f idle %.2f iowait %.2f irq+softirq %.2f steal %.2f\n", d(2), d(3), d(4), d(5), d(6), d(7) + d(8), d(9)}'
}
at() { echo $(( $(date +%s%3N) + ${1:-1500} )); }
# One storm slice exactly as measured: the homework reader (its samples to $1), the lane sampler (to $2) and wrk;
# appends "wrk ok held other seconds | hashing jit rest" to $3 and the machine's CPU split to $4.
storm_slice() {
  local start sampler slices
  slices=$(grep -c '^slice done' "$WORK/reader.log" || true)
  start=$(at 300)
  echo "$start $SLICE $1" >&3
  sleep "$(awk -v s="$start" -v n="$(date +%s%3N)" 'BEGIN {d = (s - n) / 1000; print (d > 0 ? d : 0)}')"
  threads > "$WORK/before.tmp"
  head -1 /proc/stat > "$WORK/stat-before.tmp"
  lane_sizes "$SLICE" > "$2" &
  sampler=$!
  wrk -t"$WORKERS" -c"$WORKERS" -d"${SLICE}s" -s bench/signin-storm.lua "$URL" | grep '^wrk' | tr '\n' ' ' >> "$3"
  threads > "$WORK/after.tmp"
  head -1 /proc/stat > "$WORK/stat-after.tmp"
  cpu_split "$WORK/before.tmp" "$WORK/after.tmp" >> "$3"
  machine_split "$WORK/stat-before.tmp" "$WORK/stat-after.tmp" >> "$4"
  wait "$sampler"
  until [ "$(grep -c '^slice done' "$WORK/reader.log" || true)" -gt "$slices" ]; do sleep 0.1; done
}
# The reader: one process for the whole run (see `reader` in Roles.cs), fed a line per slice through a FIFO.
rm -f "$WORK/reader.fifo"; mkfifo "$WORK/reader.fifo"
"${BENCH[@]}" reader "$URL" < "$WORK/reader.fifo" > "$WORK/reader.log" 2>&1 &
READER=$!
exec 3> "$WORK/reader.fifo"
trap 'kill "$SERVER" "$READER" 2>/dev/null || true' EXIT
until grep -q '^reader ready' "$WORK/reader.log"; do kill -0 "$READER" || { cat "$WORK/reader.log"; exit 1; }; sleep 0.2; done
# A node that has just started spends more CPU recompiling its hot code than hashing (bench/signin-cpu.sh): the
# rounds start once that is over, so that they measure sign-ins and not the runtime's warm-up. The warm-up runs the
# very slices that are measured (wrk, the reader and the sampler; an earlier warm-up with another driver left
# 1.9 CPU-seconds of JIT in the first measured slice) until the background JIT takes under 3 % of the server's CPU,
# at most 15 slices; its slices are kept in warmup.txt.
for warm in $(seq 1 15); do
  storm_slice "$WORK/warm-read.txt" "$WORK/warm-lane.tmp" "$WORK/warmup.txt" "$WORK/warm-machine.txt"
  tail -1 "$WORK/warmup.txt" | awk '{exit !($(NF-1) > 0.03 * ($(NF-2) + $(NF-1) + $NF))}' || break
done
echo "warm-up: $warm storm slices of $SLICE s until the background JIT took under 3 % of the server's CPU" \
  "($(awk '{n+=$2; j+=$(NF-1)} END {printf "%d sign-ins, %.1f CPU-seconds of JIT", n, j}' "$WORK/warmup.txt"))"
for round in $(seq 1 "$ROUNDS"); do
  "${BENCH[@]}" raw "$SLICE" "$(at 800)" >> "$WORK/raw.txt"
  storm_slice "$WORK/read-$round.txt" "$WORK/lane-$round.txt" "$WORK/drive.txt" "$WORK/machine.txt"
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
echo "Lane size during the storms (samples every second): $(cat "$WORK"/lane-*.txt | sort -n | uniq -c | awk '{printf "%s%s slot(s): %s", sep, $2, $1; sep = ", "}')"
echo "The machine during the storms (CPU-seconds per slice of $SLICE s on $(nproc) cores; \"nice\" is the hashing threads' user time): $(awk '{for (i = 1; i < NF; i += 2) {sum[i] += $(i + 1); name[i] = $i}} END {for (i = 1; i < NF; i += 2) printf "%s %.2f%s", name[i], sum[i] / NR, (i + 2 < NF ? ", " : "")}' "$WORK/machine.txt")"
echo "Ratio per round (storm ÷ the raw slice just before it): $(paste -d' ' "$WORK/raw.txt" "$WORK/drive.txt" | awk '{printf "%s%.2f", sep, ($6 / $9) / ($2 / $3); sep = ", "}')"
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
