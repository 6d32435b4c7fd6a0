#!/usr/bin/env bash
# Marks and skills (issue 15): a parent's results page (/notes) and saving a class's whole grid
# (PUT /api/v1/assessments/{id}/grid) against the hello endpoint, interleaved in one run so that the
# ratios hold on a busy machine. Starts Préau on its own port with a throw-away data directory
# (the demo school), signs in the demo parent and teacher, prints medians, p95 and ratios.
# Usage: bench/assessment-run.sh [rounds=20] [port=5113]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-20}"
PORT="${2:-5113}"
DATA=$(mktemp -d /tmp/preau-assessment-bench.XXXXXX)
[ "${SKIP_BUILD:-0}" = 1 ] || dotnet build src/Preau.Web/Preau.Web.csproj -c Release -v q -nologo >/dev/null
dotnet src/Preau.Web/bin/Release/net10.0/Preau.Web.dll --urls "http://127.0.0.1:$PORT" \
  --Storage:DataDirectory="$DATA" --Gate:Enabled=false >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$PORT/api/v1/hello" >/dev/null 2>&1 && break
  sleep 0.5
done
python3 - "$PORT" "$DATA" "$ROUNDS" <<'PY'
import http.cookiejar, json, statistics, sys, time, urllib.request

port, data, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = f"http://127.0.0.1:{port}"
logins = {l.split("\t")[0]: l.split("\t") for l in open(f"{data}/demo-logins.txt", encoding="utf-8").read().splitlines() if l.count("\t") == 2}

def session(label):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, login, password = logins[label]
    req = urllib.request.Request(base + "/api/v1/auth/login", json.dumps({"login": login, "password": password}).encode(),
                                 {"Content-Type": "application/json"})
    opener.open(req).read()
    return opener

def call(opener, path, method="GET", body=None):
    req = urllib.request.Request(base + path, None if body is None else json.dumps(body).encode(),
                                 {"Content-Type": "application/json"}, method=method)
    start = time.perf_counter()
    with opener.open(req) as r:
        payload = r.read()
    return time.perf_counter() - start, payload

anonymous = urllib.request.build_opener()
parent, teacher = session("Parent"), session("Enseignant")
# The teacher's class and subject, from the demo's assessments; a fresh assessment for the bench.
mine = json.loads(call(teacher, "/api/v1/assessments")[1])
first = mine[0]
created = json.loads(call(teacher, "/api/v1/assessments", "POST", {
    "classId": first["classId"], "subjectId": first["subjectId"], "title": "Banc d'essai", "date": first["date"],
    "kind": "notes", "outOf": 20, "coefficient": 1})[1])
grid = json.loads(call(teacher, f"/api/v1/assessments/{created['id']}/grid")[1])
pupils = [r["studentId"] for r in grid["rows"]]

def grid_body(n):
    return {"cells": [{"studentId": p, "value": f"{(i * 7 + n) % 20},5" if (i + n) % 9 else "abs"} for i, p in enumerate(pupils)]}

times = {"hello": [], "notes": [], "grid": []}
for n in range(rounds):
    for _ in range(10):
        times["hello"].append(call(anonymous, "/api/v1/hello")[0])
        times["notes"].append(call(parent, "/notes")[0])
        times["grid"].append(call(teacher, f"/api/v1/assessments/{created['id']}/grid", "PUT", grid_body(n))[0])

hello = statistics.median(times["hello"])
print(f"{len(pupils)} pupils in the grid, {rounds * 10} requests of each kind, interleaved")
for kind, values in times.items():
    values.sort()
    p95 = values[int(len(values) * 0.95) - 1]
    print(f"{kind:6} median {statistics.median(values) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms  median ratio to hello {statistics.median(values) / hello:6.1f}x")
PY
