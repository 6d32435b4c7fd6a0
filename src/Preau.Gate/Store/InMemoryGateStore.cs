namespace Preau.Gate.Store;

/// <summary>
/// Single-node store: the same algorithm as the Redis scripts, under one lock. The work per call is
/// proportional to the number of lanes, never to the queue's length.
/// </summary>
internal sealed class InMemoryGateStore : IGateStore
{
    private const string ReservationPrefix = "r:";

    /// <summary>Tickets never claimed are forgotten after this long, as the Redis keys expire.</summary>
    private const long TicketLifetimeMs = 6 * 3600 * 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LaneState> _lanes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TicketRecord> _tickets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _limits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Failures, long UntilMs, long ForgetAtMs)> _throttles = new(StringComparer.Ordinal);
    private double? _rate;
    private long _rateChangedAt;
    private long _rateDecreasedAt = long.MinValue / 2;
    private long _epoch;
    private double _tokens;
    private long? _tokensAt;
    private long _lobbyUntil;
    private long? _purgedAt;
    private string? _publishedLimits;
    private long _departed;

    /// <summary>When each place held was taken (admission), to measure stays when it is given back.</summary>
    private readonly Dictionary<string, long> _admittedAt = new(StringComparer.Ordinal);

    /// <summary>Sum of <see cref="_admittedAt"/>: the time held so far by every holder is Count × now − this.</summary>
    private long _admittedSumMs;
    private long _stays;
    private long _stayMs;

    /// <summary>
    /// The last stays ended, oldest first (at most <see cref="GateSnapshot.EndedKept"/>), one per key: a key's new stay
    /// replaces its last one (<see cref="_endedByKey"/>), so that one account signing in and out again and again
    /// leaves one stay, not the whole list.
    /// </summary>
    private readonly LinkedList<(string Key, EndedStay Stay)> _ended = new();

    private readonly Dictionary<string, LinkedListNode<(string Key, EndedStay Stay)>> _endedByKey = new(StringComparer.Ordinal);

    public Task<EnterResult> EnterAsync(EnterCommand command)
    {
        lock (_lock)
        {
            return Task.FromResult(Enter(command));
        }
    }

    private EnterResult LobbyResult(string lane, AdmissionPolicy p) =>
        new(EnterOutcome.Lobby, lane, 0, 0, _lobbyUntil, Math.Max(0, p.MaxActive - ActiveTotal()), _lanes.Values.Sum(l => l.Lobby.Count));

    private EnterResult Enter(EnterCommand c)
    {
        var p = c.Policy;
        var now = c.NowMs;
        Purge(p, now);
        FlushLobby(now);

        if (c.AliasKey is { } alias && alias != c.Key)
        {
            Bind(c.Key, alias, now);
        }

        foreach (var (name, lane) in _lanes)
        {
            if (lane.Active.ContainsKey(c.Key))
            {
                lane.Active[c.Key] = now + p.IdleMs;
                DropTicket(c.Key);
                return new EnterResult(EnterOutcome.Admitted, name, 0, 0, 0);
            }
        }

        Pump(p, now);
        if (!_tickets.TryGetValue(c.Key, out var record))
        {
            var queueEmpty = _lanes.Values.All(l => l.Counter == l.Watermark && l.Lobby.Count == 0);
            var capacityNow = _tokens >= 1 && ActiveTotal() < p.MaxActive;
            if (_lobbyUntil > now || (p.FairStartMs > 0 && queueEmpty && !capacityNow))
            {
                if (_lobbyUntil <= now)
                {
                    _lobbyUntil = now + p.FairStartMs;
                }
                Lane(c.Lane).Lobby[c.Key] = c.DrawScore;
                _tickets[c.Key] = new TicketRecord(c.Lane, 0, InLobby: true, now);
                return LobbyResult(c.Lane, p);
            }
            var target = Lane(c.Lane);
            target.Counter++;
            record = new TicketRecord(c.Lane, target.Counter, InLobby: false, now);
            _tickets[c.Key] = record;
            target.See(record.Ticket, now);
            Pump(p, now);
        }

        if (record.InLobby)
        {
            return LobbyResult(record.Lane, p);
        }

        var state = Lane(record.Lane);
        if (record.Ticket <= state.Watermark)
        {
            if (state.Active.Remove(ReservationPrefix + record.Ticket) || ActiveTotal() < p.MaxActive)
            {
                state.Active[c.Key] = now + p.IdleMs;
                SetAdmitted(c.Key, now);
                state.Forget(record.Ticket);
                _tickets.Remove(c.Key);
                return new EnterResult(EnterOutcome.Admitted, record.Lane, record.Ticket, 0, 0);
            }
            state.See(record.Ticket, now);
            return new EnterResult(EnterOutcome.Queued, record.Lane, record.Ticket, 1, 0);
        }
        state.Gone.Remove(record.Ticket); // back before being passed over: the place is theirs again
        state.See(record.Ticket, now);
        var goneAhead = record.Ticket - 1 > state.Watermark && state.Gone.Count > 0
            ? state.Gone.GetViewBetween(state.Watermark + 1, record.Ticket - 1).Count
            : 0;
        return new EnterResult(EnterOutcome.Queued, record.Lane, record.Ticket, record.Ticket - state.Watermark - goneAhead, 0);
    }

    /// <summary>A key's numbered ticket is left behind (its holder is in, or left): it no longer counts in positions.</summary>
    private void DropTicket(string key)
    {
        if (_tickets.Remove(key, out var record) && !record.InLobby)
        {
            var state = Lane(record.Lane);
            state.Forget(record.Ticket);
            if (record.Ticket > state.Watermark)
            {
                state.Gone.Add(record.Ticket);
            }
        }
    }

    private void Bind(string key, string alias, long now)
    {
        if (!_tickets.ContainsKey(key) && _tickets.Remove(alias, out var aliasTicket))
        {
            _tickets[key] = aliasTicket;
            var lobby = Lane(aliasTicket.Lane).Lobby;
            if (lobby.Remove(alias, out var score))
            {
                lobby[key] = score;
            }
        }
        var moved = false;
        foreach (var lane in _lanes.Values)
        {
            if (lane.Active.Remove(alias, out var expiry) && expiry > now)
            {
                lane.Active[key] = Math.Max(expiry, lane.Active.GetValueOrDefault(key));
                moved = true;
            }
        }
        if (moved)
        {
            MoveAdmission(alias, key, now);
        }
        else
        {
            RemoveAdmitted(alias, out _); // no place to carry: the time held must not count for nobody
        }
    }

    public Task TouchAsync(string key, string lane, string? aliasKey, long nowMs, AdmissionPolicy policy)
    {
        lock (_lock)
        {
            if (aliasKey is not null && aliasKey != key)
            {
                // the place moves to the account, nobody leaves; the account's stay starts below unless it holds one
                Release(aliasKey, departure: false, nowMs);
            }
            if (!_admittedAt.ContainsKey(key))
            {
                SetAdmitted(key, nowMs);
            }
            foreach (var (name, state) in _lanes)
            {
                if (name != lane)
                {
                    state.Active.Remove(key);
                }
            }
            Lane(lane).Active[key] = nowMs + policy.IdleMs;
            DropTicket(key);
        }
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, AdmissionPolicy policy, long nowMs = 0)
    {
        lock (_lock)
        {
            Release(key, departure: true, nowMs);
        }
        return Task.CompletedTask;
    }

    private void Release(string key, bool departure, long nowMs)
    {
        foreach (var lane in _lanes.Values)
        {
            if (lane.Active.Remove(key) && departure)
            {
                _departed++;
                EndStay(key, lane.Name, nowMs, idle: false);
            }
            lane.Lobby.Remove(key);
        }
        RemoveAdmitted(key, out _);
        DropTicket(key);
    }

    /// <summary>A place given back after being held since its admission: one stay measured (0: time unknown).</summary>
    private void EndStay(string key, string lane, long endMs, bool idle)
    {
        if (RemoveAdmitted(key, out var from) && endMs > 0)
        {
            var duration = Math.Max(0, endMs - from);
            _stays++;
            _stayMs += duration;
            if (_endedByKey.Remove(key, out var last))
            {
                _ended.Remove(last);
            }
            _endedByKey[key] = _ended.AddLast((key, new EndedStay(endMs, duration, idle, lane)));
            if (_ended.Count > GateSnapshot.EndedKept)
            {
                _endedByKey.Remove(_ended.First!.Value.Key);
                _ended.RemoveFirst();
            }
        }
    }

    /// <summary>
    /// The place of a device's anonymous key moves to the account, at its first page signed in: the stay is counted
    /// from now, unless the account already holds a place (another device), whose stay goes on. The time held before
    /// signing in is not part of the stay: it was the home page and the password, longer or shorter with the moment
    /// (a queue, a storm of sign-ins), and people let in before signing in would otherwise seem to stay longer than
    /// those let in signed in (src/Preau.Gate/README.md, "The promise").
    /// </summary>
    private void MoveAdmission(string alias, string key, long nowMs)
    {
        if (RemoveAdmitted(alias, out _) && !_admittedAt.ContainsKey(key))
        {
            SetAdmitted(key, nowMs);
        }
    }

    private void SetAdmitted(string key, long atMs)
    {
        _admittedSumMs += atMs - _admittedAt.GetValueOrDefault(key);
        _admittedAt[key] = atMs;
    }

    private bool RemoveAdmitted(string key, out long atMs)
    {
        if (!_admittedAt.Remove(key, out atMs))
        {
            return false;
        }
        _admittedSumMs -= atMs;
        return true;
    }

    /// <summary>The places held here and not yet expired (reservations of called tickets left out).</summary>
    public IReadOnlyList<ActivePlace> Places(long nowMs)
    {
        lock (_lock)
        {
            return [.. _lanes.Values.SelectMany(l => l.Active
                .Where(kv => kv.Value > nowMs && !kv.Key.StartsWith(ReservationPrefix, StringComparison.Ordinal))
                .Select(kv => new ActivePlace(kv.Key, l.Name, kv.Value, _admittedAt.GetValueOrDefault(kv.Key, nowMs))))];
        }
    }

    public Task<GateSnapshot> SnapshotAsync(long nowMs, AdmissionPolicy policy)
    {
        lock (_lock)
        {
            Purge(policy, nowMs);
            FlushLobby(nowMs);
            var lanes = policy.Lanes
                .Select(l => Lane(l.Name))
                .Select(s => new LaneSnapshot(s.Name, s.Counter, s.Watermark, s.Active.Count, s.Lobby.Count, s.Gone.Count))
                .ToList();
            var held = _admittedAt.Count;
            return Task.FromResult(new GateSnapshot(lanes, CurrentRate(policy), _epoch, _departed, _stays, _stayMs, held, (held * nowMs) - _admittedSumMs,
                [.. _ended.Reverse().Select(e => e.Stay)], SampleHolders(), nowMs));
        }
    }

    /// <summary>
    /// Every holder while they are at most <see cref="GateSnapshot.HoldersSampled"/>, else that many picked at random:
    /// when each took the place and when it expires unless they come back.
    /// </summary>
    private List<HolderSample> SampleHolders()
    {
        var count = _admittedAt.Count;
        var keep = Math.Min(count, GateSnapshot.HoldersSampled);
        var sample = new List<HolderSample>(keep);
        var seen = 0;
        foreach (var (key, admitted) in _admittedAt)
        {
            // selection sampling: each holder kept with probability (still wanted ÷ still to see)
            if (Random.Shared.Next(count - seen) < keep - sample.Count)
            {
                var (expiry, lane) = ExpiryOf(key);
                sample.Add(new HolderSample(admitted, expiry, lane));
            }
            seen++;
        }
        return sample;
    }

    private (long ExpiresMs, string? Lane) ExpiryOf(string key)
    {
        foreach (var lane in _lanes.Values)
        {
            if (lane.Active.TryGetValue(key, out var expiry))
            {
                return (expiry, lane.Name);
            }
        }
        return (0, null);
    }

    public Task<RateChange> AdjustRateAsync(RateSignal signal, long nowMs, long intervalMs, double step, double factor, AdmissionPolicy policy)
    {
        lock (_lock)
        {
            var rate = CurrentRate(policy);
            if (signal == RateSignal.Decrease && nowMs - _rateDecreasedAt >= intervalMs)
            {
                var lowered = Math.Max(policy.MinRate, rate * factor);
                if (lowered < rate)
                {
                    _epoch++;
                }
                rate = lowered;
                _rateDecreasedAt = nowMs;
                _rateChangedAt = nowMs;
            }
            else if (signal == RateSignal.Increase && nowMs - _rateChangedAt >= intervalMs)
            {
                rate = Math.Min(policy.MaxRate, rate + step);
                _rateChangedAt = nowMs;
            }
            _rate = rate;
            return Task.FromResult(new RateChange(rate, _epoch));
        }
    }

    public Task BumpCapacityEpochAsync()
    {
        lock (_lock)
        {
            _epoch++;
        }
        return Task.CompletedTask;
    }

    public Task PublishLimitsAsync(string json)
    {
        Volatile.Write(ref _publishedLimits, json);
        return Task.CompletedTask;
    }

    public Task<string?> ReadLimitsAsync() => Task.FromResult(Volatile.Read(ref _publishedLimits));

    public Task<LimitDecision> AcquireAsync(IReadOnlyList<LimitRule> rules, long nowMs)
    {
        lock (_lock)
        {
            // Theoretical arrival times in fractional milliseconds: a rounded-up interval would cap
            // every limit at 1,000 requests per second.
            var next = new double[rules.Count];
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                var interval = 1000.0 / rule.PerSecond;
                var tat = _limits.TryGetValue(rule.Key, out var stored) ? stored : nowMs;
                next[i] = Math.Max(tat, nowMs) + interval;
                var allowAt = next[i] - (rule.Burst * interval);
                if (nowMs < allowAt)
                {
                    return Task.FromResult(new LimitDecision(false, (long)Math.Ceiling(allowAt - nowMs), i));
                }
            }
            for (var i = 0; i < rules.Count; i++)
            {
                _limits[rules[i].Key] = next[i];
            }
            if (_limits.Count > 100_000)
            {
                foreach (var stale in _limits.Where(kv => kv.Value < nowMs).Select(kv => kv.Key).ToList())
                {
                    _limits.Remove(stale);
                }
            }
            return Task.FromResult(new LimitDecision(true, 0));
        }
    }

    public Task<long> ThrottleWaitAsync(string key, long nowMs)
    {
        lock (_lock)
        {
            return Task.FromResult(_throttles.TryGetValue(key, out var t) && t.ForgetAtMs > nowMs ? Math.Max(0, t.UntilMs - nowMs) : 0);
        }
    }

    public Task<long> ThrottleFailAsync(string key, ThrottleRule rule, long nowMs)
    {
        lock (_lock)
        {
            var (failures, until, forgetAt) = _throttles.GetValueOrDefault(key);
            failures = forgetAt > nowMs ? failures + 1 : 1;
            var delay = 0L;
            if (failures >= rule.Threshold)
            {
                delay = (long)Math.Min(rule.FirstDelayMs * Math.Pow(2, Math.Min(failures - rule.Threshold, 40)), rule.MaxDelayMs);
                until = nowMs + delay;
            }
            _throttles[key] = (failures, until, nowMs + delay + rule.MaxDelayMs);
            if (_throttles.Count > 100_000)
            {
                foreach (var stale in _throttles.Where(kv => kv.Value.ForgetAtMs <= nowMs).Select(kv => kv.Key).ToList())
                {
                    _throttles.Remove(stale);
                }
            }
            return Task.FromResult(delay);
        }
    }

    public Task ThrottleClearAsync(string key)
    {
        lock (_lock)
        {
            _throttles.Remove(key);
            return Task.CompletedTask;
        }
    }

    private double CurrentRate(AdmissionPolicy p) => Math.Clamp(_rate ?? p.InitialRate, p.MinRate, p.MaxRate);

    private long ActiveTotal() => _lanes.Values.Sum(l => (long)l.Active.Count);

    private LaneState Lane(string name)
    {
        if (!_lanes.TryGetValue(name, out var lane))
        {
            lane = new LaneState(name);
            _lanes[name] = lane;
        }
        return lane;
    }

    private void Purge(AdmissionPolicy p, long now)
    {
        foreach (var rule in p.Lanes)
        {
            _ = Lane(rule.Name);
        }
        if (_purgedAt is { } purgedAt && now - purgedAt < 1000)
        {
            return; // at most once a second: a just-expired user counts a little longer, never the reverse
        }
        _purgedAt = now;
        if (_tickets.Count > 10_000)
        {
            foreach (var stale in _tickets.Where(kv => !kv.Value.InLobby && now - kv.Value.TakenMs > TicketLifetimeMs).Select(kv => kv.Key).ToList())
            {
                _tickets.Remove(stale);
            }
        }
        foreach (var lane in _lanes.Values)
        {
            foreach (var (expired, expiry) in lane.Active.Where(kv => kv.Value <= now).ToList())
            {
                lane.Active.Remove(expired);
                _departed++;
                EndStay(expired, lane.Name, expiry, idle: true); // the place was held until its idle timeout ran out
            }
            ForgetUnseen(lane, p, now);
        }
    }

    /// <summary>
    /// Tickets unseen for two refreshes: one still waiting stops counting (the pump passes over it), one
    /// already called gives its place back at once instead of at the end of the claim grace.
    /// </summary>
    private void ForgetUnseen(LaneState lane, AdmissionPolicy p, long now)
    {
        if (p.StaleMs <= 0)
        {
            return;
        }
        while (lane.SeenOrder.First is { } oldest && oldest.Value.SeenMs <= now - p.StaleMs)
        {
            var ticket = oldest.Value.Ticket;
            lane.Forget(ticket);
            if (ticket > lane.Watermark)
            {
                lane.Gone.Add(ticket);
            }
            else if (lane.Active.Remove(ReservationPrefix + ticket))
            {
                _departed++;
            }
        }
    }

    private void FlushLobby(long now)
    {
        if (_lobbyUntil > now)
        {
            return;
        }
        foreach (var lane in _lanes.Values.Where(l => l.Lobby.Count > 0))
        {
            foreach (var key in lane.Lobby.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key))
            {
                lane.Counter++;
                _tickets[key] = new TicketRecord(lane.Name, lane.Counter, InLobby: false, now);
                lane.See(lane.Counter, now);
            }
            lane.Lobby.Clear();
        }
    }

    /// <summary>Moves watermarks forward as far as the admission tokens and the free places allow, one place at a time.</summary>
    private void Pump(AdmissionPolicy p, long now)
    {
        var rate = CurrentRate(p);
        var burst = Math.Max(1, rate);
        if (_tokensAt is null)
        {
            _tokens = burst; // a gate nobody has used yet is a quiet gate: its bucket is full
        }
        var last = _tokensAt ?? now;
        _tokens = Math.Min(burst, _tokens + (Math.Max(0, now - last) * rate / 1000.0));
        _tokensAt = now;
        var budget = Math.Min((long)Math.Floor(_tokens), p.MaxActive - ActiveTotal());
        while (budget > 0)
        {
            LaneRule? best = null;
            LaneState? bestState = null;
            foreach (var rule in p.Lanes)
            {
                var s = Lane(rule.Name);
                if (s.Counter > s.Watermark && (bestState is null || Better(rule, s, best!, bestState, p.MaxActive)))
                {
                    best = rule;
                    bestState = s;
                }
            }
            if (bestState is null)
            {
                break;
            }
            bestState.Watermark++;
            if (bestState.Gone.Remove(bestState.Watermark))
            {
                continue; // its holder stopped polling: no place, no token
            }
            bestState.Active[ReservationPrefix + bestState.Watermark] = now + p.GraceMs;
            _tokens -= 1;
            budget--;
        }
    }

    /// <summary>Priority first; then lanes still under their reserved share; then the least filled lane.</summary>
    internal static bool Better(LaneRule a, LaneState sa, LaneRule b, LaneState sb, int maxActive) =>
        Compare(a.Priority, a.Share, sa.Active.Count, b.Priority, b.Share, sb.Active.Count, maxActive) < 0;

    /// <summary>The store's order between two lanes; the places held may be fractional (the promise's schedule follows it as a fluid).</summary>
    internal static int Compare(int pa, double sharea, double activea, int pb, double shareb, double activeb, int maxActive)
    {
        if (pa != pb)
        {
            return pa.CompareTo(pb);
        }
        var capA = sharea * maxActive;
        var capB = shareb * maxActive;
        var underA = activea < capA;
        var underB = activeb < capB;
        if (underA != underB)
        {
            return underA ? -1 : 1;
        }
        var fillA = capA > 0 ? activea / capA : double.MaxValue;
        var fillB = capB > 0 ? activeb / capB : double.MaxValue;
        return fillA.CompareTo(fillB);
    }

    internal sealed class LaneState(string name)
    {
        public string Name { get; } = name;
        public long Counter { get; set; }
        public long Watermark { get; set; }
        public Dictionary<string, long> Active { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, double> Lobby { get; } = new(StringComparer.Ordinal);

        /// <summary>Numbered tickets not yet passed over whose holders stopped polling.</summary>
        public SortedSet<long> Gone { get; } = [];

        /// <summary>Numbered tickets by last poll, oldest first: finding who stopped polling costs nothing per call.</summary>
        public LinkedList<(long Ticket, long SeenMs)> SeenOrder { get; } = new();

        private readonly Dictionary<long, LinkedListNode<(long Ticket, long SeenMs)>> _seen = [];

        public void See(long ticket, long now)
        {
            Forget(ticket);
            _seen[ticket] = SeenOrder.AddLast((ticket, now));
        }

        public void Forget(long ticket)
        {
            if (_seen.Remove(ticket, out var node))
            {
                SeenOrder.Remove(node);
            }
        }
    }

    private sealed record TicketRecord(string Lane, long Ticket, bool InLobby, long TakenMs);
}
