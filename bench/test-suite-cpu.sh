#!/usr/bin/env bash
# What the test suite (or a part of it) costs: wall time and the CPU seconds the whole machine spent meanwhile
# (busy jiffies from /proc/stat, so PostgreSQL, Redis and Chromium count too). Run nothing else alongside.
# Usage: bench/test-suite-cpu.sh [arguments for test.sh...]
#   bench/test-suite-cpu.sh --no-build --filter "FullyQualifiedName~Features.Homework|FullyQualifiedName~Features.Assessment"
# BENCHMARKS.md §32 compares the same filter with DOTNET_TieredPGO=1 (the runtime's default) and 0 (test.sh's).
set -uo pipefail
cd "$(dirname "$0")/.."

busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
before=$(busy)
start=$(date +%s)
./test.sh "$@" | grep -E '^[0-9]+ passed|^FAILED'
status=${PIPESTATUS[0]}
end=$(date +%s)
after=$(busy)
echo "wall $((end - start)) s, CPU $(( (after - before) / $(getconf CLK_TCK) )) s"
exit "$status"
