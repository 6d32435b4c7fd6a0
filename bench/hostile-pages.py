#!/usr/bin/env python3
"""Hostile query strings on every page people reach: signs in as each demo login (data/demo-logins.txt), crawls
the pages its links lead to (at most MAX per login), then asks each page again with every query parameter it had,
and common ones (date, semaine, page, id, returnUrl...), set to hostile values (impossible dates, huge numbers,
markup, 5,000 characters, NUL...), and each id or date in its path replaced. Prints every answer 5xx (a 503 with
Retry-After, the gate's, excepted) or connection failure: a page must answer bad input with a French message,
never a 500. Waits out 429s (the gate's per-account limit).

    dotnet run --project src/Preau.Web        # the README's command; then, from another shell:
    python3 bench/hostile-pages.py http://127.0.0.1:5000 src/Preau.Web/data/demo-logins.txt 60
"""
import sys, re, json, time, urllib.request, urllib.parse, http.cookiejar
from collections import Counter, deque

base = sys.argv[1].rstrip('/')
# data/demo-logins.txt: profile, login, password, tab-separated
creds = [tuple(l.rstrip('\n').split('\t')[1:3]) for l in open(sys.argv[2], encoding='utf-8') if l.count('\t') >= 2]
maxp = int(sys.argv[3]) if len(sys.argv) > 3 else 120
HOSTILE = ["", "-1", "0", "99999999999999999999", "2026-13-45", "9999-12-31", "0001-01-01", "abc",
           "'\"><script>alert(1)</script>", "../../../../etc/passwd", "%00", "x" * 5000,
           "00000000-0000-0000-0000-000000000000", "1e308", "NaN", "2026-W99", "🙂"]
EXTRA = ["date", "semaine", "jour", "page", "id", "classe", "eleve", "enfant", "du", "au", "q", "mois", "annee", "returnUrl"]

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None

def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())

def get(op, url, data=None, headers=None):
    for _ in range(6):
        st, body, h = get1(op, url, data, headers)
        if st != 429:
            return st, body, h
        time.sleep(min(5.0, float(h.get('Retry-After', '1'))))
    return st, body, h

def get1(op, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with op.open(req, timeout=30) as r:
            return r.status, r.read().decode('utf-8', 'replace'), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode('utf-8', 'replace'), dict(e.headers)
    except Exception as e:
        return -1, repr(e), {}

def signin(login, password):
    op = opener()
    st, body, h = get(op, base + '/api/v1/auth/login', json.dumps({"login": login, "password": password}).encode(),
                      {"Content-Type": "application/json", "Accept": "application/json"})
    return op, st

bad = []
codes = Counter()
def check(profile, url, st, body, h):
    codes[st] += 1
    if st >= 500 and not (st == 503 and 'Retry-After' in h) or st == -1:
        bad.append((profile, st, url, body[:300].replace('\n', ' ')))
        print("BAD", profile, st, url, body[:200].replace('\n', ' '), flush=True)

print("logins:", [c[0] for c in creds], flush=True)

for login, password in creds:
    op, st = signin(login, password)
    if st != 200:
        print("sign-in failed", login, st); continue
    seen, queue, pages = set(), deque(['/']), 0
    while queue and pages < maxp:
        path = queue.popleft()
        if path in seen: continue
        seen.add(path)
        st, body, h = get(op, base + path, headers={"Accept": "text/html"})
        pages += 1
        check(login, path, st, body, h)
        if st != 200 or 'text/html' not in h.get('Content-Type', ''): continue
        for href in re.findall(r'href="([^"#]+)"', body):
            href = href.replace('&amp;', '&')
            if href.startswith('http') or href.startswith('//') or href.startswith('mailto:'): continue
            if any(x in href for x in ('deconnexion', 'logout', '/css/', '/js/', '.css', '.js', '.ico', '.png', '.svg', '/fichiers/')): continue
            if not href.startswith('/'): continue
            queue.append(href)
    # hostile replays: one per distinct path, each param (and the extra ones) set to each hostile value
    paths = {}
    for u in seen:
        sp = urllib.parse.urlsplit(u)
        paths.setdefault(sp.path, urllib.parse.parse_qsl(sp.query, keep_blank_values=True))
    n = 0
    for p, q in paths.items():
        names = [k for k, _ in q] + EXTRA
        for name in dict.fromkeys(names):
            for v in HOSTILE:
                qs = urllib.parse.urlencode([(k, (v if k == name else val)) for k, val in q if k != name] + [(name, v)])
                st, body, h = get(op, base + p + '?' + qs, headers={"Accept": "text/html"})
                n += 1
                check(login, p + '?' + qs, st, body, h)
        # hostile path segments: replace each guid/number segment
        segs = p.split('/')
        for i, s in enumerate(segs):
            if re.fullmatch(r'[0-9a-f-]{36}|\d+|\d{4}-\d{2}-\d{2}', s):
                for v in ["0", "-1", "99999999999", "2026-02-30", "00000000-0000-0000-0000-000000000000", "zzz", "%2e%2e"]:
                    pp = '/'.join(segs[:i] + [v] + segs[i + 1:])
                    st, body, h = get(op, base + pp, headers={"Accept": "text/html"})
                    n += 1
                    check(login, pp, st, body, h)
    print(f"{login}: {pages} pages crawled, {n} hostile requests, codes {dict(codes)}", flush=True)
    codes.clear()

print("BAD TOTAL", len(bad))
