"""Reads a Préau calendar feed (stdin) with python3-icalendar (Debian) and prints a JSON summary.
Fails on what calendar apps rely on: the Europe/Paris VTIMEZONE, local DTSTART with its TZID,
UID/DTSTAMP/LAST-MODIFIED/SEQUENCE/SUMMARY on every event, DTEND after DTSTART."""
import datetime, json, sys
import icalendar

cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
assert str(cal["VERSION"]) == "2.0" and cal.get("PRODID"), "VERSION/PRODID missing"
zones = cal.walk("VTIMEZONE")
assert zones and str(zones[0]["TZID"]) == "Europe/Paris", "no Europe/Paris VTIMEZONE"
events = cal.walk("VEVENT")
for e in events:
    for prop in ("UID", "DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "SUMMARY", "DTSTART", "DTEND"):
        assert prop in e, prop + " missing"
    assert e["DTSTART"].params.get("TZID") == "Europe/Paris", "DTSTART not in Europe/Paris"
    assert e.decoded("DTSTART").utcoffset() is not None, "DTSTART without offset"
    assert e.decoded("DTEND") > e.decoded("DTSTART"), "DTEND before DTSTART"
utc = lambda e: e.decoded("DTSTART").astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
print(json.dumps({
    "parser": "python-icalendar " + icalendar.__version__,
    "timeZone": str(zones[0]["TZID"]),
    "events": len(events),
    "cancelled": [{"startUtc": utc(e), "sequence": int(e["SEQUENCE"])} for e in events if str(e.get("STATUS")) == "CANCELLED"],
}))
