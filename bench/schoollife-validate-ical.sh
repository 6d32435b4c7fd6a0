#!/usr/bin/env bash
# Checks a real personal iCalendar feed with independent parsers (Python icalendar, Debian package
# python3-icalendar; node-ical from npm when .ci/services.sh installed it), then revokes it and checks
# that its URL answers 404.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PREAU_BENCH_PORT:-5189}
/usr/bin/python3 -c "import icalendar" 2>/dev/null || { echo "apt-get install -y python3-icalendar"; exit 1; }
dotnet build -c Release src/Preau.Web -v q -nologo | grep -E "error|FAILED" && exit 1 || true
dotnet build -c Release bench/Preau.SchoolLife.Bench -v q -nologo | grep -E "error|FAILED" && exit 1 || true
DATA=$(mktemp -d /tmp/preau-ical.XXXXXX)
ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$PORT" Storage__DataDirectory="$DATA" \
  Logging__LogLevel__Default=Warning dotnet src/Preau.Web/bin/Release/net10.0/Preau.Web.dll >"$DATA/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
dotnet bench/Preau.SchoolLife.Bench/bin/Release/net10.0/Preau.SchoolLife.Bench.dll "$DATA/preau.db" "http://127.0.0.1:$PORT" 1 "$DATA/pupils.lua" >/dev/null
COOKIE=$(grep -o 'preau=[^"]*' "$DATA/pupils.lua" | head -1)
URL=$(curl -fs -X POST -b "$COOKIE" "http://127.0.0.1:$PORT/api/v1/timetable/feed" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['url'])")
curl -fs "$URL" -o "$DATA/feed.ics"
head -c 17 "$DATA/feed.ics" | grep -q "BEGIN:VCALENDAR" || { echo "not iCalendar"; exit 1; }
# The same checks the test suite runs (CalendarFeedTests): python3-icalendar, then node-ical when installed.
/usr/bin/python3 bench/ical/check-python.py <"$DATA/feed.ics"
NODE_MODULES=${PREAU_TEST_NODE_MODULES:-$HOME/.cache/preau/node-ical-0.27.2/node_modules}
if [ -d "$NODE_MODULES/node-ical" ]; then NODE_PATH="$NODE_MODULES" node bench/ical/check-node.js <"$DATA/feed.ics"; fi
curl -fs -X DELETE -b "$COOKIE" "http://127.0.0.1:$PORT/api/v1/timetable/feed"
echo "after revocation: HTTP $(curl -s -o /dev/null -w '%{http_code}' "$URL")"
