#!/usr/bin/env bash
# Runs every Préau test against real PostgreSQL, Redis and Chromium, started here and stopped
# at the end. Ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
source .ci/services.sh
preau_start_services

# The suite starts some 400 short-lived apps: dynamic PGO's instrumented code and re-compilations cost an
# eighth of its CPU and gain nothing in so short a life (BENCHMARKS.md §32). Behaviour is the same.
export DOTNET_TieredPGO=${DOTNET_TieredPGO:-0}

results=$(mktemp -d /tmp/preau-results.XXXXXX)
# A test still running after 30 minutes (the longest bound in the suite is the README start's 25) has its test
# host stopped, and the run names it, instead of waiting until CI's own time is up and saying nothing.
dotnet test Preau.slnx -c Release --logger "console;verbosity=normal" --logger trx \
  --blame-hang-timeout 30m --blame-hang-dump-type none \
  --results-directory "$results" "$@"
status=$?

# One TRX file per test assembly: <Counters total=".." executed=".." passed=".." failed=".." …/>
read -r passed failed skipped < <(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' \
  | sed -E 's/.* total="([0-9]+)".* passed="([0-9]+)" failed="([0-9]+)".*/\1 \2 \3/' \
  | awk '{t+=$1; p+=$2; f+=$3} END {print p+0, f+0, t-p-f}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the build or a test host failed before any test could report
fi
# The names of failed tests (and their first line of error), just above the count, so that a log
# cut to its last lines still says which tests failed.
if [ "$failed" -gt 0 ]; then
  python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in glob.glob(sys.argv[1] + "/*.trx"):
    for r in ET.parse(path).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
        message = r.find(".//t:Message", ns)
        first = (message.text or "").strip().splitlines()[0][:300] if message is not None and message.text else ""
        print("FAILED " + r.get("testName", "?") + " — " + first)
PY
fi
rm -rf "$results"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
