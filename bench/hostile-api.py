#!/usr/bin/env python3
"""Hostile requests to every write operation of the API's OpenAPI document, as each demo login: path ids real
(gathered from the GET lists), all zeros, malformed or huge; a body built from the schema, then each property (and
each property of an array's first object) set to null, "", 200,000 characters, extreme numbers, impossible dates,
[], {}, [null], deep nesting, markup, NUL; and raw bodies that are not JSON, truncated or nested 5,000 deep. Prints
every 5xx: the API must answer with a French ProblemDetails (400, 403, 404...), never a 500.

    dotnet run --project src/Preau.Web        # the README's command; then, from another shell:
    curl -s http://127.0.0.1:5000/openapi/v1.json > /tmp/openapi.json
    python3 bench/hostile-api.py http://127.0.0.1:5000 src/Preau.Web/data/demo-logins.txt /tmp/openapi.json
"""
import sys, json, re, random, time, urllib.request, urllib.error, http.cookiejar
from collections import Counter
base, logins_file, doc_file = sys.argv[1].rstrip('/'), sys.argv[2], sys.argv[3]
doc = json.load(open(doc_file))
creds = [tuple(l.rstrip('\n').split('\t')[1:3]) for l in open(logins_file, encoding='utf-8') if l.count('\t') >= 2]
SKIP = {'/api/v1/auth/logout', '/api/v1/me/password', '/api/v1/auth/login', '/api/v1/auth/activate', '/api/v1/auth/device'}
GUID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')
random.seed(7)

def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

def send(op, method, path, body=None, raw=None, ctype='application/json'):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    for _ in range(6):
        req = urllib.request.Request(base + path, data=data, method=method, headers={'Content-Type': ctype, 'Accept': 'application/json'})
        try:
            with op.open(req, timeout=30) as r:
                st, text, h = r.status, r.read().decode('utf-8', 'replace'), dict(r.headers)
        except urllib.error.HTTPError as e:
            st, text, h = e.code, e.read().decode('utf-8', 'replace'), dict(e.headers)
        except Exception as e:
            return -1, repr(e), {}
        if st != 429:
            return st, text, h
        time.sleep(min(5.0, float(h.get('Retry-After', '1'))))
    return st, text, h

def deref(s):
    for _ in range(10):
        if isinstance(s, dict) and '$ref' in s:
            node = doc
            for part in s['$ref'].split('/')[1:]:
                node = node[part]
            s = node
        else:
            break
    return s

def sample(s, bag, depth=0):
    s = deref(s or {})
    if depth > 4: return None
    for key in ('oneOf', 'anyOf', 'allOf'):
        if key in s:
            opts = [deref(x) for x in s[key] if deref(x).get('type') != 'null']
            return sample(opts[0], bag, depth + 1) if opts else None
    t = s.get('type')
    if isinstance(t, list): t = [x for x in t if x != 'null'][0] if [x for x in t if x != 'null'] else 'null'
    fmt = s.get('format', '')
    if 'enum' in s: return s['enum'][0]
    if t == 'object' or 'properties' in s:
        return {k: sample(v, bag, depth + 1) for k, v in s.get('properties', {}).items()}
    if t == 'array': return [sample(s.get('items', {}), bag, depth + 1)]
    if t == 'integer': return 1
    if t == 'number': return 1.5
    if t == 'boolean': return True
    if fmt == 'uuid': return random.choice(bag) if bag else '00000000-0000-0000-0000-000000000000'
    if fmt == 'date-time': return '2026-12-01T08:00:00+01:00'
    if fmt == 'date': return '2026-12-01'
    if fmt == 'time': return '08:00:00'
    return 'essai'

HOSTILE = [None, '', 'x' * 200000, -1, 0, 2**63, -2**63, 1e308, 'pas-une-date', '2026-02-30', '9999-12-31T23:59:59Z',
           '0001-01-01T00:00:00Z', [], {}, [None], {'a': {'b': {'c': [1, 2, {}]}}}, True, '<script>alert(1)</script>',
           '\u0000', '🙂' * 1000, '00000000-0000-0000-0000-000000000000', 'not-a-guid', 'NaN', '-0', 1.5]
RAW = [b'', b'null', b'[]', b'{', b'"texte"', b'12', b'{"a":', b'\xff\xfe\x00', b'[' * 5000 + b']' * 5000, b'{"x":' * 2000 + b'1' + b'}' * 2000]

bad, codes = [], Counter()
def check(who, what, st, text):
    codes[st] += 1
    if st >= 500 or st == -1:
        bad.append((who, what, st, text[:300]))
        print('BAD', who, st, what[:300], text[:300].replace('\n', ' '), flush=True)
    elif st >= 400 and st not in (401, 404, 405, 415) and text and 'application/problem' not in text and not text.lstrip().startswith('{'):
        print('NOT-PROBLEM', who, st, what[:200], text[:120].replace('\n', ' '), flush=True)

for login, password in creds:
    op = opener()
    st, _, _ = send(op, 'POST', '/api/v1/auth/login', {'login': login, 'password': password})
    if st != 200: print('sign-in failed', login, st); continue
    bag = set()
    for path, item in doc['paths'].items():
        if 'get' in item and '{' not in path:
            st, text, h = send(op, 'GET', path)
            bag.update(GUID.findall(text))
    bag = sorted(bag)
    n = 0
    for path, item in doc['paths'].items():
        for method in ('post', 'put', 'patch', 'delete'):
            if method not in item or path in SKIP: continue
            opn = item[method]
            body_schema = None
            content = (opn.get('requestBody') or {}).get('content', {})
            if 'application/json' in content:
                body_schema = content['application/json'].get('schema')
            is_json = body_schema is not None
            for pv in ([random.choice(bag)] if bag else []) + ['00000000-0000-0000-0000-000000000000', 'pas-un-id', '-1', '9' * 40]:
                p = re.sub(r'\{[^}]+\}', pv, path)
                if not is_json:
                    st, text, h = send(op, method.upper(), p, raw=b'x' * 1000, ctype='application/octet-stream'); n += 1
                    check(login, f'{method} {p} raw', st, text)
                    continue
                good = sample(body_schema, bag)
                st, text, h = send(op, method.upper(), p, good); n += 1
                check(login, f'{method} {p} sample', st, text)
                if pv != (bag[0] if bag else None) and pv not in bag:
                    continue  # hostile bodies only on a real id
                for raw in RAW:
                    st, text, h = send(op, method.upper(), p, raw=raw); n += 1
                    check(login, f'{method} {p} raw {raw[:20]!r}', st, text)
                if isinstance(good, dict):
                    for k in good:
                        for v in HOSTILE:
                            b = dict(good); b[k] = v
                            st, text, h = send(op, method.upper(), p, b); n += 1
                            check(login, f'{method} {p} {k}={str(v)[:30]!r}', st, text)
                        # nested: first item of arrays of objects
                        if isinstance(good[k], list) and good[k] and isinstance(good[k][0], dict):
                            for kk in good[k][0]:
                                for v in HOSTILE:
                                    b = json.loads(json.dumps(good)); b[k][0][kk] = v
                                    st, text, h = send(op, method.upper(), p, b); n += 1
                                    check(login, f'{method} {p} {k}[0].{kk}={str(v)[:30]!r}', st, text)
    print(f'{login}: {n} requests, codes {dict(codes)}', flush=True)
    codes.clear()
print('BAD TOTAL', len(bad))
