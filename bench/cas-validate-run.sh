#!/usr/bin/env bash
# CAS ticket validation (issue 16): GET /cas/p3/serviceValidate (a one-time ticket read, deleted, the
# pseudonymous subject and the released attributes) against GET /healthz, interleaved in one run so that the
# ratio holds on a busy machine. Starts Préau on its own port with a throw-away data directory (the demo
# school, SQLite), declares a CAS app straight in the database, signs the demo pupil in, and for each
# validation mints a fresh ticket through /cas/login (not timed; the gate is off so that minting 200 tickets in a
# row from one address is not slowed by its per-address limits). Prints medians, p95 and ratios.
# Usage: bench/cas-validate-run.sh [rounds=20] [port=5114]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-20}"
PORT="${2:-5114}"
DATA=$(mktemp -d /tmp/preau-cas-bench.XXXXXX)
[ "${SKIP_BUILD:-0}" = 1 ] || dotnet build src/Preau.Web/Preau.Web.csproj -c Release -v q -nologo >/dev/null
dotnet src/Preau.Web/bin/Release/net10.0/Preau.Web.dll --urls "http://127.0.0.1:$PORT" \
  --Storage:DataDirectory="$DATA" --Cas:TicketSeconds=60 --Gate:Enabled=false >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
python3 - "$PORT" "$DATA" "$ROUNDS" <<'PY'
import http.cookiejar, json, sqlite3, statistics, sys, time, urllib.parse, urllib.request, uuid

port, data, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = f"http://127.0.0.1:{port}"
service = "https://manuels.example/bench/"
logins = {l.split("\t")[0]: l.split("\t") for l in open(f"{data}/demo-logins.txt", encoding="utf-8").read().splitlines() if l.count("\t") == 2}

# The app, as the region administrator's page would save it (EF Core's SQLite formats: upper-case GUID text,
# DateTimeOffset as binary ticks).
db = sqlite3.connect(f"{data}/preau.db")
region = db.execute("SELECT Id FROM Regions LIMIT 1").fetchone()[0]
db.execute("""INSERT INTO ConnectedApps (Id, RegionId, Name, Protocol, ClientId, RedirectUris, LaunchUrl, ReleasedClaims,
              AllowedProfiles, Enabled, CreatedAt, UpdatedAt) VALUES (?, ?, 'Banc CAS', 'Cas', 'banc-cas', ?, ?, ?, 'Pupil', 1, 0, 0)""",
           (str(uuid.uuid4()).upper(), region, service, service, "name profile school classes"))
db.commit()
db.close()

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None

jar = http.cookiejar.CookieJar()
pupil = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
_, login, password = logins["Élève"]
pupil.open(urllib.request.Request(base + "/api/v1/auth/login", json.dumps({"login": login, "password": password}).encode(),
                                  {"Content-Type": "application/json"})).read()
anonymous = urllib.request.build_opener()
login_url = base + "/cas/login?service=" + urllib.parse.quote(service, safe="")

def ticket():
    try:
        pupil.open(login_url)
    except urllib.error.HTTPError as redirect:
        if redirect.code == 302:
            return urllib.parse.parse_qs(urllib.parse.urlparse(redirect.headers["Location"]).query)["ticket"][0]
        raise
    raise RuntimeError("no ticket")

def call(path):
    start = time.perf_counter()
    with anonymous.open(base + path) as r:
        payload = r.read()
    return time.perf_counter() - start, payload

times = {"healthz": [], "p3/serviceValidate": []}
for n in range(rounds):
    for _ in range(10):
        times["healthz"].append(call("/healthz")[0])
        st = ticket()
        elapsed, body = call(f"/cas/p3/serviceValidate?ticket={st}&service={urllib.parse.quote(service, safe='')}")
        assert b"authenticationSuccess" in body, body
        times["p3/serviceValidate"].append(elapsed)

hello = statistics.median(times["healthz"])
print(f"{rounds * 10} requests of each kind, interleaved")
for kind, values in times.items():
    values.sort()
    p95 = values[int(len(values) * 0.95) - 1]
    print(f"{kind:20} median {statistics.median(values) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms  median ratio to healthz {statistics.median(values) / hello:6.1f}x")
PY
