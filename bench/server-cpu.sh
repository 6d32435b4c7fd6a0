# Sourced by bench/signin-cpu.sh and bench/signin-run.sh (issue 17): starts the server being measured and reads
# its CPU thread by thread from /proc (utime+stime). Expects WORK, PORT, URL, WORKERS and LANE (may be empty).
BENCH=(dotnet bench/Preau.Bench.SignIn/bin/Release/net10.0/Preau.Bench.SignIn.dll)
TICK=$(getconf CLK_TCK)
# Builds the bench, starts `serve` (its pid in SERVER, stopped on exit) and waits until it is seeded.
start_server() {
  mkdir -p "$WORK"; rm -f "$WORK"/*.txt
  dotnet build -c Release bench/Preau.Bench.SignIn -v q -nologo > "$WORK/build.log"
  "${BENCH[@]}" serve "$PORT" $LANE > "$WORK/serve.log" 2>&1 &
  SERVER=$!
  trap 'kill "$SERVER" 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do grep -q '^ready' "$WORK/serve.log" && break; kill -0 "$SERVER" || { cat "$WORK/serve.log"; exit 1; }; sleep 0.5; done
}
# "tid|name|ticks" for every thread, then "total||ticks" for the process (which keeps exited threads' time);
# one awk over the stat files, so that the snapshot is quick even on a loaded machine.
threads() {
  awk '{
    open = index($0, " ("); rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ")
    name = substr($0, open + 2, length($0) - length(rest) - open - 3)
    print (FNR == NR ? "total|" : substr($0, 1, open - 1) "|" name) "|" f[12] + f[13]
  }' "/proc/$SERVER/stat" /proc/"$SERVER"/task/*/stat 2>/dev/null
}
# The server's CPU seconds between two `threads` snapshots: "hashing jit rest", per thread (a thread that starts
# counts from zero), the rest being the process total minus the two.
cpu_split() {
  awk -F'|' -v t="$TICK" '
    NR == FNR {before[$1] = $3; next}
    {d = $3 - before[$1]}
    $1 == "total" {all = d; next}
    $2 ~ /^preau-hashing/ {h += d; next}
    $2 ~ /^\.NET Tiered/ {j += d}
    END {printf "%.2f %.2f %.2f\n", h / t, j / t, (all - h - j) / t}' "$1" "$2"
}
# One storm: prints "drive ok busy wall drivercpu | hashing jit rest", the server's CPU seconds during it.
storm() {
  threads > "$WORK/before.tmp"
  printf '%s | ' "$("${BENCH[@]}" drive "$URL" "$WORKERS" "$1")"
  threads > "$WORK/after.tmp"
  cpu_split "$WORK/before.tmp" "$WORK/after.tmp"
}
# Sign-in storms until the runtime's background JIT (tier-0 → instrumented → tier-1) takes under 5 % of the
# server's CPU, at most 20 slices: before that, a short bench measures a node warming up, not sign-ins.
warm_up() {
  for _ in $(seq 1 20); do
    storm "$1" | tee -a "$WORK/warmup.txt" | awk '{exit !($8 > 0.05 * ($7 + $8 + $9))}' || break
  done
  echo "warm-up: $(wc -l < "$WORK/warmup.txt") slices of $1 s until the background JIT took under 5 % of the server's CPU"
}
