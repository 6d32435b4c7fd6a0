-- wrk script for bench/signin-run.sh (issue 17): good-password sign-ins to POST /api/v1/auth/login, cycling over
-- the bench's pupils 1..119 (pupil 0 is the homework reader). wrk is the storm's driver because it costs almost no
-- CPU: on two cores a .NET driver took 26–37 ms of CPU per sign-in (BENCHMARKS §17), a third of a hash, and that
-- CPU was charged to the server's rate. Prints one line: "wrk <ok> <held 503> <other> <seconds>".
-- Each wrk thread drives one connection (signin-run.sh runs -t N -c N), so that a sign-in held by the hashing lane
-- (503 + Retry-After) waits as told before that connection posts again, as a browser on the "Connexion en attente"
-- page does. A driver that posts again at once keeps the server answering 503s in a loop.
-- With IGNORE_RETRY_AFTER=1 in the environment, a held sign-in is posted again at once: the abusive client of
-- bench/signin-flood.sh.
local threads = {}
local ignore_retry_after = os.getenv("IGNORE_RETRY_AFTER") == "1"

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  ok, held, other = 0, 0, 0
  pause = 0
  n = id * 37
end

function delay()
  local wait = pause
  pause = 0
  return wait
end

function request()
  n = n + 1
  local body = '{"login":"bench.pupil' .. (1 + n % 119) .. '","password":"Preau-bench-2026!"}'
  return wrk.format("POST", "/api/v1/auth/login", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 503 then
    held = held + 1
    if not ignore_retry_after then
      pause = 1000 * (tonumber(headers["Retry-After"] or headers["retry-after"] or "1") or 1)
    end
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local o, h, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); h = h + t:get("held"); x = x + t:get("other")
  end
  io.write(string.format("wrk %d %d %d %.3f\n", o, h, x, summary.duration / 1e6))
end
