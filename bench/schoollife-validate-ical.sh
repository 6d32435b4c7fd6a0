#!/usr/bin/env bash
# Checks a real personal iCalendar feed with an independent parser (Python icalendar, Debian
# package python3-icalendar), then revokes it and checks that its URL answers 404.
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
/usr/bin/python3 - "$DATA/feed.ics" <<'PY'
import sys, icalendar
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"BEGIN:VCALENDAR\r\n"), "not CRLF iCalendar"
cal = icalendar.Calendar.from_ical(raw)
events = [c for c in cal.walk("VEVENT")]
assert cal["VERSION"] == "2.0" and cal.get("PRODID"), "VERSION/PRODID missing"
for e in events:
    for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
        assert prop in e, f"{prop} missing"
    assert e.decoded("DTEND") > e.decoded("DTSTART")
print(f"python icalendar {icalendar.__version__}: {len(events)} events parsed, UID/DTSTAMP/DTSTART/DTEND/SUMMARY present")
PY
curl -fs -X DELETE -b "$COOKIE" "http://127.0.0.1:$PORT/api/v1/timetable/feed"
echo "after revocation: HTTP $(curl -s -o /dev/null -w '%{http_code}' "$URL")"
