using System.Globalization;
using StackExchange.Redis;

namespace Preau.Gate.Store;

/// <summary>
/// Shared store: every operation is one Lua script, so that nodes see one queue. All keys carry one hash
/// tag (<c>{prefix}</c>) and stay in one slot. The scripts mirror <see cref="InMemoryGateStore"/> line by line.
/// </summary>
internal sealed class RedisGateStore(IConnectionMultiplexer redis, string prefix, bool guarded = false) : ISharedGateStore
{
    /// <summary>Places re-published per script call: a few thousand keys never block Redis for long.</summary>
    private const int RepublishBatch = 500;

    private readonly string _prefix = "{" + prefix + "}";

    // Admission times of the places held, with their count and sum kept beside them ('hn', 'hsum' in ':stay'):
    // the time held so far by every holder is hn × now − hsum, read without walking the hash. HINCRBY keeps the
    // sum exact in 64 bits, where Lua's doubles would round it.
    private const string AdmissionFunctions = """
        local function admSet(P, k, at)
          local old = redis.call('HGET', P .. ':adm', k)
          if old then
            redis.call('HINCRBY', P .. ':stay', 'hsum', tonumber(at) - tonumber(old))
          else
            redis.call('HINCRBY', P .. ':stay', 'hn', 1)
            redis.call('HINCRBY', P .. ':stay', 'hsum', at)
          end
          redis.call('HSET', P .. ':adm', k, at)
        end

        local function admDel(P, k)
          local at = redis.call('HGET', P .. ':adm', k)
          if at then
            redis.call('HDEL', P .. ':adm', k)
            redis.call('HINCRBY', P .. ':stay', 'hn', -1)
            redis.call('HINCRBY', P .. ':stay', 'hsum', '-' .. at)
          end
          return at
        end

        """;

    private const string Common = AdmissionFunctions + """
        local P = ARGV[1]
        local now = tonumber(ARGV[2])
        local maxActive = tonumber(ARGV[3])
        local initRate = tonumber(ARGV[4])
        local minRate = tonumber(ARGV[5])
        local maxRate = tonumber(ARGV[6])
        local idle = tonumber(ARGV[7])
        local grace = tonumber(ARGV[8])
        local fair = tonumber(ARGV[9])
        local stale = tonumber(ARGV[10])
        local guarded = ARGV[11] == '1'
        local n = tonumber(ARGV[12])
        local lanes = {}
        for i = 1, n do
          lanes[i] = { name = ARGV[12 + 3 * i - 2], share = tonumber(ARGV[12 + 3 * i - 1]), prio = tonumber(ARGV[12 + 3 * i]) }
        end
        local A = 13 + 3 * n
        local ttl = 21600000
        local ENDED_KEPT = 512 -- GateSnapshot.EndedKept
        local HOLDERS_SAMPLED = 256 -- GateSnapshot.HoldersSampled

        -- a Redis that lost the gate's state (no generation yet) or whose places are being re-published
        -- by the nodes (hold) admits nobody new: the places it forgot may all be taken
        local function held()
          if not guarded then return false end
          return redis.call('EXISTS', P .. ':gen') == 0 or tonumber(redis.call('GET', P .. ':hold') or '0') > now
        end

        local function rate()
          local r = tonumber(redis.call('HGET', P .. ':rate', 'rate') or initRate)
          if r < minRate then r = minRate end
          if r > maxRate then r = maxRate end
          return r
        end

        -- a place given back after being held since its admission: one stay measured (endAt 0: time unknown)
        -- the last stays ended are kept too ('endedAt:duration:idle:lane'), newest first, for the promise; a key's
        -- new stay replaces its last one (':endk:' remembers it), so that one account signing in and out again and
        -- again leaves one stay, not the whole list (InMemoryGateStore.EndStay)
        local function endStay(k, endAt, idleEnd, lane)
          local from = admDel(P, k)
          if from then
            if endAt > 0 then
              local dur = math.max(0, endAt - tonumber(from))
              redis.call('HINCRBY', P .. ':stay', 'n', 1)
              redis.call('HINCRBY', P .. ':stay', 'ms', dur)
              local entry = string.format('%d:%d:%d:%s', endAt, dur, idleEnd and 1 or 0, lane)
              local lk = P .. ':endk:' .. k
              local last = redis.call('GET', lk)
              if last then redis.call('LREM', P .. ':ended', 1, last) end
              redis.call('LPUSH', P .. ':ended', entry)
              redis.call('LTRIM', P .. ':ended', 0, ENDED_KEPT - 1)
              redis.call('SET', lk, entry, 'PX', ttl)
            end
          end
        end

        -- the place of a device's anonymous key moves to the account, at its first page signed in: the stay counts
        -- from now, unless the account already holds a place on another device (InMemoryGateStore.MoveAdmission)
        local function moveAdmission(from, to)
          if admDel(P, from) and redis.call('HEXISTS', P .. ':adm', to) == 0 then admSet(P, to, now) end
        end

        local function purge()
          local gone = 0
          for _, l in ipairs(lanes) do
            local ak = P .. ':act:' .. l.name
            local expired = redis.call('ZRANGEBYSCORE', ak, '-inf', now, 'WITHSCORES')
            for i = 1, #expired, 2 do
              endStay(expired[i], tonumber(expired[i + 1]), true, l.name) -- held until its idle timeout ran out
            end
            gone = gone + redis.call('ZREMRANGEBYSCORE', ak, '-inf', now)
            if stale > 0 then
              -- tickets unseen for two refreshes: still waiting, they stop counting; called, the call lapses now
              local sk = P .. ':seen:' .. l.name
              local old = redis.call('ZRANGEBYSCORE', sk, '-inf', now - stale, 'LIMIT', 0, 1000)
              if #old > 0 then
                local wm = tonumber(redis.call('GET', P .. ':wm:' .. l.name) or '0')
                for _, t in ipairs(old) do
                  redis.call('ZREM', sk, t)
                  if tonumber(t) > wm then
                    redis.call('ZADD', P .. ':gone:' .. l.name, t, t)
                  else
                    gone = gone + redis.call('ZREM', P .. ':act:' .. l.name, 'r:' .. t)
                  end
                end
              end
            end
          end
          if gone > 0 then redis.call('INCRBY', P .. ':dep', gone) end
        end

        local function flush()
          local untilAt = tonumber(redis.call('GET', P .. ':lobuntil') or '0')
          if untilAt > now then return end
          for _, l in ipairs(lanes) do
            local lk = P .. ':lob:' .. l.name
            local members = redis.call('ZRANGE', lk, 0, -1)
            if #members > 0 then
              for _, m in ipairs(members) do
                local t = redis.call('INCR', P .. ':ctr:' .. l.name)
                redis.call('SET', P .. ':t:' .. m, l.name .. '|' .. t, 'PX', ttl)
                redis.call('ZADD', P .. ':seen:' .. l.name, now, t)
              end
              redis.call('DEL', lk)
            end
          end
        end

        local function state()
          local st = {}
          for i, l in ipairs(lanes) do
            st[i] = {
              c = tonumber(redis.call('GET', P .. ':ctr:' .. l.name) or '0'),
              w = tonumber(redis.call('GET', P .. ':wm:' .. l.name) or '0'),
              a = redis.call('ZCARD', P .. ':act:' .. l.name),
              lob = redis.call('ZCARD', P .. ':lob:' .. l.name),
              g = redis.call('ZCARD', P .. ':gone:' .. l.name) }
          end
          return st
        end

        local function total(st)
          local t = 0
          for i = 1, #st do t = t + st[i].a end
          return t
        end

        local function better(i, j, st)
          local a, b = lanes[i], lanes[j]
          if a.prio ~= b.prio then return a.prio < b.prio end
          local capA, capB = a.share * maxActive, b.share * maxActive
          local underA, underB = st[i].a < capA, st[j].a < capB
          if underA ~= underB then return underA end
          local fillA, fillB = 1e300, 1e300
          if capA > 0 then fillA = st[i].a / capA end
          if capB > 0 then fillB = st[j].a / capB end
          return fillA < fillB
        end

        local function pump(st)
          local r = rate()
          local burst = math.max(1, r)
          local b = redis.call('HMGET', P .. ':bucket', 'tokens', 'last')
          local tokens = tonumber(b[1] or tostring(burst))
          local last = tonumber(b[2] or now)
          tokens = math.min(burst, tokens + math.max(0, now - last) * r / 1000)
          local budget = math.min(math.floor(tokens), maxActive - total(st))
          if held() then budget = 0 end
          while budget > 0 do
            local best = nil
            for i = 1, #lanes do
              if st[i].c > st[i].w and (best == nil or better(i, best, st)) then best = i end
            end
            if best == nil then break end
            local s = st[best]
            s.w = s.w + 1
            redis.call('SET', P .. ':wm:' .. lanes[best].name, s.w)
            if redis.call('ZREM', P .. ':gone:' .. lanes[best].name, s.w) == 1 then
              s.g = s.g - 1 -- its holder stopped polling: no place, no token
            else
              s.a = s.a + 1
              redis.call('ZADD', P .. ':act:' .. lanes[best].name, now + grace, 'r:' .. s.w)
              tokens = tokens - 1
              budget = budget - 1
            end
          end
          redis.call('HSET', P .. ':bucket', 'tokens', tostring(tokens), 'last', tostring(now))
          return tokens
        end

        -- a key's numbered ticket left behind (its holder is in, or left) no longer counts in positions
        local function dropTicket(k)
          local tk = P .. ':t:' .. k
          local rec = redis.call('GET', tk)
          if not rec then return end
          local sep = string.find(rec, '|', 1, true)
          local head, tail = string.sub(rec, 1, sep - 1), string.sub(rec, sep + 1)
          if head ~= 'L' then
            redis.call('ZREM', P .. ':seen:' .. head, tail)
            if tonumber(tail) > tonumber(redis.call('GET', P .. ':wm:' .. head) or '0') then
              redis.call('ZADD', P .. ':gone:' .. head, tail, tail)
            end
          end
          redis.call('DEL', tk)
        end

        local function release(k, endAt)
          local gone, held = 0, ''
          for _, l in ipairs(lanes) do
            local removed = redis.call('ZREM', P .. ':act:' .. l.name, k)
            if removed > 0 then held = l.name end
            gone = gone + removed
            redis.call('ZREM', P .. ':lob:' .. l.name, k)
          end
          if gone > 0 then endStay(k, endAt, false, held) else admDel(P, k) end
          dropTicket(k)
          return gone
        end

        """;

    private const string EnterScript = Common + """
        local key, lane, alias, draw = ARGV[A], ARGV[A + 1], ARGV[A + 2], tonumber(ARGV[A + 3])
        purge()
        flush()
        if alias ~= '' and alias ~= key then
          local tk = P .. ':t:' .. key
          local ta = P .. ':t:' .. alias
          if redis.call('EXISTS', tk) == 0 and redis.call('EXISTS', ta) == 1 then
            local rec = redis.call('GET', ta)
            redis.call('SET', tk, rec, 'PX', ttl)
            redis.call('DEL', ta)
            local sep = string.find(rec, '|', 1, true)
            local recLane = string.sub(rec, sep + 1)
            if string.sub(rec, 1, sep - 1) == 'L' then
              local score = redis.call('ZSCORE', P .. ':lob:' .. recLane, alias)
              if score then
                redis.call('ZREM', P .. ':lob:' .. recLane, alias)
                redis.call('ZADD', P .. ':lob:' .. recLane, score, key)
              end
            end
          end
          local moved = false
          for _, l in ipairs(lanes) do
            local ak = P .. ':act:' .. l.name
            local exp = redis.call('ZSCORE', ak, alias)
            if exp then
              redis.call('ZREM', ak, alias)
              if tonumber(exp) > now then
                redis.call('ZADD', ak, 'GT', exp, key)
                moved = true
              end
            end
          end
          -- no place to carry: the time held must not count for nobody
          if moved then moveAdmission(alias, key) else admDel(P, alias) end
        end
        for _, l in ipairs(lanes) do
          local ak = P .. ':act:' .. l.name
          if redis.call('ZSCORE', ak, key) then
            redis.call('ZADD', ak, now + idle, key)
            dropTicket(key)
            return { 'A', l.name, '0', '0', '0' }
          end
        end
        local st = state()
        local tokens = pump(st)
        local rec = redis.call('GET', P .. ':t:' .. key)
        local lobbyUntil = tonumber(redis.call('GET', P .. ':lobuntil') or '0')
        -- in the draw: when it ends, the places free at this instant and the people in the draw, every lane's
        local function lobbyAnswer(l)
          local drawn = 0
          for _, ln in ipairs(lanes) do drawn = drawn + redis.call('ZCARD', P .. ':lob:' .. ln.name) end
          return { 'L', l, '0', '0', tostring(lobbyUntil), tostring(math.max(0, maxActive - total(st))), tostring(drawn) }
        end
        if not rec then
          local empty = true
          for i = 1, #st do
            if st[i].c ~= st[i].w or st[i].lob > 0 then empty = false end
          end
          local capacityNow = tokens >= 1 and total(st) < maxActive
          if lobbyUntil > now or (fair > 0 and empty and not capacityNow) then
            if lobbyUntil <= now then
              lobbyUntil = now + fair
              redis.call('SET', P .. ':lobuntil', tostring(lobbyUntil))
            end
            redis.call('ZADD', P .. ':lob:' .. lane, draw, key)
            redis.call('SET', P .. ':t:' .. key, 'L|' .. lane, 'PX', ttl)
            return lobbyAnswer(lane)
          end
          local t = redis.call('INCR', P .. ':ctr:' .. lane)
          rec = lane .. '|' .. t
          redis.call('SET', P .. ':t:' .. key, rec, 'PX', ttl)
          redis.call('ZADD', P .. ':seen:' .. lane, now, t)
          st = state()
          pump(st)
        end
        local sep = string.find(rec, '|', 1, true)
        local head, tail = string.sub(rec, 1, sep - 1), string.sub(rec, sep + 1)
        if head == 'L' then
          return lobbyAnswer(tail)
        end
        local t = tonumber(tail)
        local wm = tonumber(redis.call('GET', P .. ':wm:' .. head) or '0')
        if t <= wm then
          local ak = P .. ':act:' .. head
          local claimed = redis.call('ZREM', ak, 'r:' .. t) == 1
          if not claimed and not held() then claimed = total(state()) < maxActive end
          if claimed then
            redis.call('ZADD', ak, now + idle, key)
            admSet(P, key, now)
            redis.call('ZREM', P .. ':seen:' .. head, tail)
            redis.call('DEL', P .. ':t:' .. key)
            return { 'A', head, tostring(t), '0', '0' }
          end
          redis.call('ZADD', P .. ':seen:' .. head, now, tail)
          return { 'Q', head, tostring(t), '1', '0' }
        end
        local gk = P .. ':gone:' .. head
        redis.call('ZREM', gk, tail) -- back before being passed over: the place is theirs again
        redis.call('ZADD', P .. ':seen:' .. head, now, tail)
        local ahead = redis.call('ZCOUNT', gk, '-inf', '(' .. tail)
        return { 'Q', head, tostring(t), tostring(t - wm - ahead), '0' }
        """;

    private const string TouchScript = Common + """
        local key, lane, alias = ARGV[A], ARGV[A + 1], ARGV[A + 2]
        if alias ~= '' and alias ~= key then
          -- the place moves to the account, nobody leaves; the account's stay starts below unless it holds one
          release(alias, 0)
        end
        for _, l in ipairs(lanes) do
          if l.name ~= lane then redis.call('ZREM', P .. ':act:' .. l.name, key) end
        end
        redis.call('ZADD', P .. ':act:' .. lane, now + idle, key)
        if redis.call('HEXISTS', P .. ':adm', key) == 0 then admSet(P, key, now) end
        dropTicket(key)
        return 1
        """;

    private const string ReleaseScript = Common + """
        local gone = release(ARGV[A], now)
        if gone > 0 then redis.call('INCRBY', P .. ':dep', gone) end
        return 1
        """;

    private const string SnapshotScript = Common + """
        purge()
        flush()
        local st = state()
        local ak = P .. ':adm'
        if tonumber(redis.call('HGET', P .. ':stay', 'hn') or '0') ~= redis.call('HLEN', ak) then
          -- admission times kept before their count and sum were (a gate upgraded in place): counted once, here
          redis.call('HSET', P .. ':stay', 'hn', redis.call('HLEN', ak), 'hsum', 0)
          for _, at in ipairs(redis.call('HVALS', ak)) do redis.call('HINCRBY', P .. ':stay', 'hsum', at) end
        end
        local stays = redis.call('HMGET', P .. ':stay', 'n', 'ms', 'hn', 'hsum')
        local out = { tostring(rate()), redis.call('HGET', P .. ':rate', 'epoch') or '0', redis.call('GET', P .. ':dep') or '0', stays[1] or '0', stays[2] or '0', stays[3] or '0', stays[4] or '0' }
        table.insert(out, redis.call('LRANGE', P .. ':ended', 0, ENDED_KEPT - 1))
        -- every holder up to the sample's size, else that many at random: admission time, expiry and lane
        local holders = {}
        local pairs_ = redis.call('HRANDFIELD', ak, HOLDERS_SAMPLED, 'WITHVALUES')
        for i = 1, #pairs_, 2 do
          local expiry, held = 0, ''
          for _, l in ipairs(lanes) do
            local sc = redis.call('ZSCORE', P .. ':act:' .. l.name, pairs_[i])
            if sc and tonumber(sc) > expiry then expiry, held = tonumber(sc), l.name end
          end
          table.insert(holders, pairs_[i + 1])
          table.insert(holders, string.format('%d', expiry))
          table.insert(holders, held)
        end
        table.insert(out, holders)
        for i, l in ipairs(lanes) do
          table.insert(out, l.name)
          table.insert(out, tostring(st[i].c))
          table.insert(out, tostring(st[i].w))
          table.insert(out, tostring(st[i].a))
          table.insert(out, tostring(st[i].lob))
          table.insert(out, tostring(st[i].g))
        end
        return out
        """;

    private const string AdjustScript = Common + """
        local signal, interval, step, factor = ARGV[A], tonumber(ARGV[A + 1]), tonumber(ARGV[A + 2]), tonumber(ARGV[A + 3])
        local rk = P .. ':rate'
        local r = rate()
        local changed = tonumber(redis.call('HGET', rk, 'changed') or '-1e300')
        local decreased = tonumber(redis.call('HGET', rk, 'decreased') or '-1e300')
        if signal == 'D' and now - decreased >= interval then
          local lowered = math.max(minRate, r * factor)
          if lowered < r then redis.call('HINCRBY', rk, 'epoch', 1) end
          r = lowered
          redis.call('HSET', rk, 'decreased', tostring(now), 'changed', tostring(now))
        elseif signal == 'I' and now - changed >= interval then
          r = math.min(maxRate, r + step)
          redis.call('HSET', rk, 'changed', tostring(now))
        end
        redis.call('HSET', rk, 'rate', tostring(r))
        return { tostring(r), redis.call('HGET', rk, 'epoch') or '0' }
        """;

    private const string HeartbeatScript = """
        local P, node, now, alive, hold, known, candidate = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6], ARGV[7]
        local gen = redis.call('GET', P .. ':gen')
        if not gen then
          gen = candidate
          redis.call('SET', P .. ':gen', gen)
        end
        -- the first node to notice holds admissions; the others re-publish within the hold, which they do not extend
        if known ~= '' and known ~= gen and tonumber(redis.call('GET', P .. ':hold') or '0') <= now then
          redis.call('SET', P .. ':hold', tostring(now + hold))
          local lob = tonumber(redis.call('GET', P .. ':lobuntil') or '0')
          if lob < now + hold then redis.call('SET', P .. ':lobuntil', tostring(now + hold)) end
        end
        redis.call('ZADD', P .. ':nodes', now, node)
        redis.call('ZREMRANGEBYSCORE', P .. ':nodes', '-inf', now - alive)
        return { redis.call('ZCARD', P .. ':nodes'), gen }
        """;

    private const string RepublishScript = AdmissionFunctions + """
        local P, now = ARGV[1], tonumber(ARGV[2])
        for i = 3, #ARGV - 3, 4 do
          if tonumber(ARGV[i + 2]) > now then
            redis.call('ZADD', P .. ':act:' .. ARGV[i + 1], 'GT', ARGV[i + 2], ARGV[i])
            if redis.call('HEXISTS', P .. ':adm', ARGV[i]) == 0 then admSet(P, ARGV[i], ARGV[i + 3]) end
          end
        end
        return 1
        """;

    private const string EpochScript = """
        return redis.call('HINCRBY', ARGV[1] .. ':rate', 'epoch', 1)
        """;

    private const string GcraScript = """
        local now, n = tonumber(ARGV[1]), tonumber(ARGV[2])
        local next = {}
        for i = 1, n do
          local k, interval, burst = ARGV[3 * i], tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
          local tat = tonumber(redis.call('GET', k) or now)
          next[i] = math.max(tat, now) + interval
          local allowAt = next[i] - burst * interval
          if now < allowAt then return { i, math.ceil(allowAt - now) } end
        end
        for i = 1, n do
          -- fractional milliseconds kept (rates above 1,000/s); tostring would round them away.
          -- A second of slack on the expiry: a key past its TAT is worth a fresh one anyway, and
          -- node clocks a few milliseconds apart must not see a busy key vanish early.
          redis.call('SET', ARGV[3 * i], string.format('%.4f', next[i]), 'PX', math.ceil(next[i] - now) + 1000)
        end
        return { 0, 0 }
        """;

    private const string ThrottleWaitScript = """
        local wait = tonumber(redis.call('HGET', ARGV[1], 'until') or '0') - tonumber(ARGV[2])
        if wait > 0 then return wait end
        return 0
        """;

    // The times passed in decide when failures are forgotten (as in memory); the key's TTL only cleans up.
    private const string ThrottleFailScript = """
        local k, now, threshold, first, max = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
        local n, untilMs = 1, tonumber(redis.call('HGET', k, 'until') or '0')
        if tonumber(redis.call('HGET', k, 'forget') or '0') > now then
          n = tonumber(redis.call('HGET', k, 'n') or '0') + 1
        end
        local delay = 0
        if n >= threshold then
          delay = math.floor(math.min(first * 2 ^ math.min(n - threshold, 40), max))
          untilMs = now + delay
        end
        redis.call('HSET', k, 'n', n, 'until', string.format('%d', untilMs), 'forget', string.format('%d', now + delay + max))
        redis.call('PEXPIRE', k, delay + max + 1000)
        return delay
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<EnterResult> EnterAsync(EnterCommand command)
    {
        var args = Args(command.NowMs, command.Policy, command.Key, command.Lane, command.AliasKey ?? "", Num(command.DrawScore));
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(EnterScript, values: args))!;
        var outcome = (string)result[0]! switch
        {
            "A" => EnterOutcome.Admitted,
            "L" => EnterOutcome.Lobby,
            _ => EnterOutcome.Queued,
        };
        return new EnterResult(outcome, (string)result[1]!, Long(result[2]), Long(result[3]), Long(result[4]), result.Length > 5 ? Long(result[5]) : -1,
            result.Length > 6 ? Long(result[6]) : -1);
    }

    public Task TouchAsync(string key, string lane, string? aliasKey, long nowMs, AdmissionPolicy policy) =>
        Db.ScriptEvaluateAsync(TouchScript, values: Args(nowMs, policy, key, lane, aliasKey ?? ""));

    public Task ReleaseAsync(string key, AdmissionPolicy policy, long nowMs = 0) =>
        Db.ScriptEvaluateAsync(ReleaseScript, values: Args(nowMs, policy, key));

    public async Task<GateSnapshot> SnapshotAsync(long nowMs, AdmissionPolicy policy)
    {
        var r = (RedisResult[])(await Db.ScriptEvaluateAsync(SnapshotScript, values: Args(nowMs, policy)))!;
        var lanes = new List<LaneSnapshot>();
        // "endedAt:duration:idle:lane"; entries written before the lane was kept have three fields
        var ended = ((RedisResult[])r[7]!).Select(e => ((string)e!).Split(':', 4)).Select(f =>
            new EndedStay(long.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture), f[2] == "1", LaneOrNull(f.ElementAtOrDefault(3)))).ToList();
        var sampled = (RedisResult[])r[8]!;
        var holders = new List<HolderSample>(sampled.Length / 3);
        for (var i = 0; i + 2 < sampled.Length; i += 3)
        {
            holders.Add(new HolderSample(long.Parse((string)sampled[i]!, CultureInfo.InvariantCulture), long.Parse((string)sampled[i + 1]!, CultureInfo.InvariantCulture), LaneOrNull((string?)sampled[i + 2])));
        }
        for (var i = 9; i + 5 < r.Length; i += 6)
        {
            lanes.Add(new LaneSnapshot((string)r[i]!, Long(r[i + 1]), Long(r[i + 2]), Long(r[i + 3]), Long(r[i + 4]), Long(r[i + 5])));
        }
        var held = Long(r[5]);
        var admittedSumMs = long.Parse((string)r[6]!, CultureInfo.InvariantCulture); // exact: Long() goes through a double
        return new GateSnapshot(lanes, Double(r[0]), Long(r[1]), Long(r[2]), Long(r[3]), Long(r[4]), held, (held * nowMs) - admittedSumMs, ended, holders, nowMs);
    }

    public async Task<RateChange> AdjustRateAsync(RateSignal signal, long nowMs, long intervalMs, double step, double factor, AdmissionPolicy policy)
    {
        var args = Args(nowMs, policy, signal == RateSignal.Decrease ? "D" : "I", intervalMs.ToString(CultureInfo.InvariantCulture), Num(step), Num(factor));
        var r = (RedisResult[])(await Db.ScriptEvaluateAsync(AdjustScript, values: args))!;
        return new RateChange(Double(r[0]), Long(r[1]));
    }

    public Task BumpCapacityEpochAsync() => Db.ScriptEvaluateAsync(EpochScript, values: [_prefix]);

    public async Task<LimitDecision> AcquireAsync(IReadOnlyList<LimitRule> rules, long nowMs)
    {
        var args = new List<RedisValue> { nowMs, rules.Count };
        foreach (var rule in rules)
        {
            args.Add(_prefix + ":lim:" + rule.Key);
            args.Add(Num(1000.0 / rule.PerSecond));
            args.Add(Num(rule.Burst));
        }
        var r = (RedisResult[])(await Db.ScriptEvaluateAsync(GcraScript, values: [.. args]))!;
        var refused = (int)r[0];
        return refused == 0 ? new LimitDecision(true, 0) : new LimitDecision(false, (long)r[1], refused - 1);
    }

    public async Task<long> ThrottleWaitAsync(string key, long nowMs) =>
        (long)(await Db.ScriptEvaluateAsync(ThrottleWaitScript, values: [_prefix + ":thr:" + key, nowMs]));

    public async Task<long> ThrottleFailAsync(string key, ThrottleRule rule, long nowMs) =>
        (long)(await Db.ScriptEvaluateAsync(ThrottleFailScript,
            values: [_prefix + ":thr:" + key, nowMs, rule.Threshold, rule.FirstDelayMs, rule.MaxDelayMs]));

    public Task ThrottleClearAsync(string key) => Db.KeyDeleteAsync(_prefix + ":thr:" + key);

    public bool IsConnected => redis.IsConnected;

    public async Task<NodeBeat> HeartbeatAsync(string node, long nowMs, long aliveMs, long holdMs, string knownGeneration)
    {
        var candidate = Guid.NewGuid().ToString("N");
        var r = (RedisResult[])(await Db.ScriptEvaluateAsync(HeartbeatScript, values: [_prefix, node, nowMs, aliveMs, holdMs, knownGeneration, candidate]))!;
        return new NodeBeat((int)r[0], (string)r[1]!);
    }

    public async Task RepublishAsync(IReadOnlyList<ActivePlace> places, long nowMs)
    {
        foreach (var batch in places.Chunk(RepublishBatch))
        {
            var args = new List<RedisValue>(2 + (batch.Length * 4)) { _prefix, nowMs };
            foreach (var place in batch)
            {
                args.Add(place.Key);
                args.Add(place.Lane);
                args.Add(place.ExpiresMs);
                args.Add(place.AdmittedMs);
            }
            await Db.ScriptEvaluateAsync(RepublishScript, values: [.. args]);
        }
    }

    public Task PublishLimitsAsync(string json) => Db.StringSetAsync(_prefix + ":limits", json);

    public async Task<string?> ReadLimitsAsync() => await Db.StringGetAsync(_prefix + ":limits");

    /// <summary>A secret shared by all nodes, created once (SET NX): signs tickets when no key is configured.</summary>
    public async Task<byte[]> GetOrCreateSigningKeyAsync(byte[] candidate)
    {
        var key = _prefix + ":signing-key";
        await Db.StringSetAsync(key, candidate, when: When.NotExists);
        var stored = await Db.StringGetAsync(key);
        return (byte[])stored!;
    }

    private RedisValue[] Args(long nowMs, AdmissionPolicy p, params string[] extra)
    {
        var args = new List<RedisValue>
        {
            _prefix, nowMs, p.MaxActive, Num(p.InitialRate), Num(p.MinRate), Num(p.MaxRate), p.IdleMs, p.GraceMs, p.FairStartMs, p.StaleMs, guarded ? "1" : "0", p.Lanes.Count,
        };
        foreach (var lane in p.Lanes)
        {
            args.Add(lane.Name);
            args.Add(Num(lane.Share));
            args.Add(lane.Priority);
        }
        args.AddRange(extra.Select(e => (RedisValue)e));
        return [.. args];
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string? LaneOrNull(string? lane) => string.IsNullOrEmpty(lane) ? null : lane;

    private static long Long(RedisResult r) => (long)double.Parse((string)r!, CultureInfo.InvariantCulture);

    private static double Double(RedisResult r) => double.Parse((string)r!, CultureInfo.InvariantCulture);
}
