// Reads a Préau calendar feed (stdin) with node-ical (npm, version pinned in .ci/services.sh) and
// prints a JSON summary. Fails without the Europe/Paris VTIMEZONE or with an event in another zone.
const ical = require("node-ical");
const all = Object.values(ical.sync.parseICS(require("fs").readFileSync(0, "utf8")));
const zone = all.find(c => c.type === "VTIMEZONE");
if (!zone || zone.tzid !== "Europe/Paris") throw new Error("no Europe/Paris VTIMEZONE");
const events = all.filter(c => c.type === "VEVENT");
for (const e of events) {
  if (e.start.tz !== "Europe/Paris") throw new Error("DTSTART not in Europe/Paris: " + e.start.tz);
  if (!(e.end > e.start)) throw new Error("DTEND before DTSTART: " + e.uid);
}
console.log(JSON.stringify({
  parser: "node-ical",
  timeZone: zone.tzid,
  events: events.length,
  cancelled: events.filter(e => e.status === "CANCELLED")
    .map(e => ({ startUtc: e.start.toISOString().slice(0, 19), sequence: Number(e.sequence) })),
}));
