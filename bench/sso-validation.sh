#!/usr/bin/env bash
# Single sign-on (issue 16): what an app's validation costs Préau. Per round: the demo pupil's browser gets a
# code from /connect/authorize (not timed), then the app redeems it at /connect/token (PKCE, one-time code,
# tokens signed) and reads /connect/userinfo; GET /healthz interleaved as the baseline. Prints medians, p95
# and ratios. Starts Préau on its own port (Development: plain HTTP on loopback) with a throw-away data
# directory (the demo school) and declares a public OpenID Connect app straight in its SQLite database.
# Usage: bench/sso-validation.sh [rounds=200] [port=5116]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-200}"
PORT="${2:-5116}"
DATA=$(mktemp -d /tmp/preau-sso-bench.XXXXXX)
[ "${SKIP_BUILD:-0}" = 1 ] || dotnet build src/Preau.Web/Preau.Web.csproj -c Release -v q -nologo >/dev/null
ASPNETCORE_ENVIRONMENT=Development dotnet src/Preau.Web/bin/Release/net10.0/Preau.Web.dll --urls "http://127.0.0.1:$PORT" \
  --Storage:DataDirectory="$DATA" --Gate:Enabled=false >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
python3 - "$PORT" "$DATA" "$ROUNDS" <<'PY'
import base64, hashlib, http.cookiejar, json, os, sqlite3, statistics, sys, time, urllib.parse, urllib.request, uuid

port, data, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = f"http://127.0.0.1:{port}"
redirect = "https://app.example.test/callback"
db = sqlite3.connect(f"{data}/preau.db")
region = db.execute("select Id from Regions limit 1").fetchone()[0]
db.execute("insert into ConnectedApps (Id, RegionId, Name, Protocol, ClientId, RedirectUris, LaunchUrl, ReleasedClaims, AllowedProfiles, Enabled, CreatedAt, UpdatedAt) "
           "values (?, ?, 'Bench', 'OpenIdConnect', 'bench', ?, ?, 'name profile school classes', 'Pupil', 1, 0, 0)",
           (str(uuid.uuid4()).upper(), region, redirect, redirect))
perms = ["ept:authorization", "ept:token", "gt:authorization_code", "rst:code", "scp:profile"]
db.execute("insert into OpenIddictApplications (Id, ClientId, ClientType, ConsentType, ConcurrencyToken, Permissions, RedirectUris, Requirements) "
           "values (?, 'bench', 'public', 'implicit', ?, ?, ?, ?)",
           (str(uuid.uuid4()), str(uuid.uuid4()), json.dumps(perms), json.dumps([redirect]), json.dumps(["ft:pkce"])))
db.commit()

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args): return None
logins = {l.split("\t")[0]: l.split("\t") for l in open(f"{data}/demo-logins.txt", encoding="utf-8").read().splitlines() if l.count("\t") == 2}
pupil = next(v for k, v in logins.items() if "lève" in k or "pupil" in k.lower())
jar = http.cookiejar.CookieJar()
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
browser.open(urllib.request.Request(base + "/api/v1/auth/login", json.dumps({"login": pupil[1], "password": pupil[2]}).encode(),
                                    {"Content-Type": "application/json"})).read()
app = urllib.request.build_opener()

def timed(fn):
    start = time.perf_counter(); result = fn(); return (time.perf_counter() - start) * 1000, result

def code():
    verifier = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    q = urllib.parse.urlencode({"client_id": "bench", "redirect_uri": redirect, "response_type": "code", "scope": "openid profile",
                                "code_challenge": challenge, "code_challenge_method": "S256", "state": "s"})
    try:
        browser.open(base + "/connect/authorize?" + q)
    except urllib.error.HTTPError as e:
        location = e.headers["Location"]
    return urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0], verifier

def token(c, v):
    body = urllib.parse.urlencode({"grant_type": "authorization_code", "client_id": "bench", "code": c, "redirect_uri": redirect, "code_verifier": v}).encode()
    return json.loads(app.open(urllib.request.Request(base + "/connect/token", body)).read())

def userinfo(t):
    return app.open(urllib.request.Request(base + "/connect/userinfo", headers={"Authorization": "Bearer " + t})).read()

samples = {"healthz": [], "token": [], "userinfo": []}
for i in range(rounds + 10):
    c, v = code()
    h, _ = timed(lambda: app.open(base + "/healthz").read())
    t, tokens = timed(lambda: token(c, v))
    u, _ = timed(lambda: userinfo(tokens["access_token"]))
    if i >= 10:  # warm-up
        samples["healthz"].append(h); samples["token"].append(t); samples["userinfo"].append(u)
med = {k: statistics.median(v) for k, v in samples.items()}
for k, v in samples.items():
    print(f"{k:9} median {med[k]:7.2f} ms  p95 {sorted(v)[int(len(v) * 0.95) - 1]:7.2f} ms  ratio to healthz {med[k] / med['healthz']:5.1f}")
PY
