#!/usr/bin/env bash
# One address floods the sign-in (issue 17's lane, "no single user may degrade the service for others"): wrk posts
# good passwords from 127.0.0.1 over C connections and posts again at once when told to come back (it ignores
# Retry-After), while a pupil signs in from another address (127.0.0.2, curl --interface) every half second.
# The server is the bench's (bench/Preau.Bench.SignIn `serve`: the real app, gate off, adaptive lane), so nothing
# but the hashing lane stands between the flood and the pupil.
#
#   bench/signin-flood.sh [seconds=20] [flood connections=32]
#
# Prints the pupil's answers (200 / 503 held / other) and its sign-in time p50 and max, and the flood's answers.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_=${1:-20}; CONNECTIONS=${2:-32}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
PORT=${PORT:-5119}; WORK=${PREAU_BENCH_DIR:-/tmp/signin-flood}; URL="http://127.0.0.1:$PORT"; WORKERS=16; LANE=""
. bench/server-cpu.sh
start_server
# Warm the server first (its JIT), with sign-ins that honour Retry-After.
wrk -t4 -c16 -d10s -s bench/signin-storm.lua "$URL" > /dev/null
IGNORE_RETRY_AFTER=1 wrk -t4 -c"$CONNECTIONS" -d"${SECONDS_}s" -s bench/signin-storm.lua "$URL" > "$WORK/flood.txt" &
FLOOD=$!
sleep 2
: > "$WORK/pupil.txt"
until ! kill -0 "$FLOOD" 2>/dev/null; do
  curl -s -o /dev/null --interface 127.0.0.2 -w '%{http_code} %{time_total}\n' -H 'Content-Type: application/json' \
    -d '{"login":"bench.pupil0","password":"Preau-bench-2026!"}' "$URL/api/v1/auth/login" >> "$WORK/pupil.txt" || true
  sleep 0.5
done
sort -k2 -n "$WORK/pupil.txt" | awk '
  {n++; t[n] = $2 * 1000; c[$1]++}
  END {printf "pupil from another address: %d sign-ins, 200: %d, 503 held: %d, other: %d; time p50 %.0f ms, max %.0f ms\n",
       n, c["200"], c["503"], n - c["200"] - c["503"], t[int((n + 1) / 2)], t[n]}'
awk '/^wrk/ {printf "flood from one address (%s connections, Retry-After ignored): %d signed in, %d held (503), %d other in %.1f s\n", c, $2, $3, $4, $5}' \
  c="$CONNECTIONS" "$WORK/flood.txt"
