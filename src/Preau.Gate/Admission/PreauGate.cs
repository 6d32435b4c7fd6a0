using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Preau.Gate.Store;

namespace Preau.Gate.Admission;

internal enum DecisionKind
{
    Admitted,
    Queued,
    Closed,
}

internal sealed record GateDecision(DecisionKind Kind, GateStatus Status, string Lane);

/// <summary>Admission of one request: reads the signed ticket, asks the store, writes the ticket back.</summary>
internal sealed class PreauGate(
    IGateStore store,
    GateLimits limits,
    GateMonitor monitor,
    GateMetrics metrics,
    GateKeys keys,
    AdmissionController controller,
    PromiseLedger promises,
    TimeProvider time) : IPreauGate
{
    /// <summary>Admitted users touch the store at most this often; in between the signed ticket suffices.</summary>
    private static readonly long TouchIntervalMs = (long)TimeSpan.FromSeconds(60).TotalMilliseconds;

    /// <summary>A visitor who proved nothing yet comes back this soon to take a place.</summary>
    private const int NewcomerRefreshSeconds = 2;

    private readonly Lock _newcomerLock = new();
    private double _newcomerTokens = -1;
    private long _newcomerAt;

    private GateOptions Options => limits.Options;

    public async Task<GateOverview> GetOverviewAsync()
    {
        var snapshot = await monitor.GetAsync();
        var lanes = snapshot.Lanes.Select(l =>
        {
            GateEta? eta = null;
            if (l.Waiting > 0)
            {
                var (low, high) = EtaEstimator.Range(monitor.Estimate(l.Lane, l.Waiting + 1, snapshot));
                eta = new GateEta(low, high);
            }
            var name = Options.Lanes.TryGetValue(l.Lane, out var lane) && lane.DisplayName is { Length: > 0 } display ? display : l.Lane;
            return new GateLaneOverview(l.Lane, name, l.Waiting, l.Active, monitor.LaneRate(l.Lane, snapshot), eta);
        }).ToList();
        var stays = monitor.Schedule(snapshot) is { } schedule ? new GateStayFigures(schedule.MeanStaySeconds, schedule.WalkAwayShare, schedule.Evidence) : null;
        return new GateOverview(limits.Current, snapshot.Rate, lanes, monitor.Departures().PerSecond, controller.Decisions, promises.Accuracy(), stays);
    }

    public async Task<GateDecision> DecideAsync(HttpContext context)
    {
        if (!limits.Current.Enabled)
        {
            return Admitted(Options.AnonymousLane);
        }
        var codec = await keys.GetAsync();
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var policy = limits.Policy;
        var user = Options.ResolveUser(context);
        var ticket = Read(context, codec);
        var lane = LaneOf(user);

        if (ticket is null && user is null)
        {
            return await NewcomerAsync(context, codec, lane);
        }

        ticket ??= GateTicket.New();
        var anonymousKey = "v:" + ticket.VisitorId;
        var key = user is null ? anonymousKey : "a:" + user.Id;

        if (ticket.AdmittedKey is { } admittedKey && nowMs - ticket.SeenMs < policy.IdleMs
            && (admittedKey == key || (user is not null && admittedKey == anonymousKey)))
        {
            var alias = admittedKey == key ? null : admittedKey;
            if (alias is not null || nowMs - ticket.SeenMs >= TouchIntervalMs || ticket.AdmittedLane != lane)
            {
                await store.TouchAsync(key, lane, alias, nowMs, policy);
                Write(context, codec, AdmittedTicket(ticket, key, lane, nowMs));
            }
            return Admitted(lane);
        }

        if (user is not null && Options.Windows.Count > 0)
        {
            var snapshot = await monitor.GetAsync();
            var surge = snapshot.WaitingTotal > 0 || snapshot.ActiveTotal >= policy.MaxActive;
            if (ProfileWindows.Check(Options.Windows, user.Profile, now, surge, Options.Texts) is { } closed)
            {
                Write(context, codec, ticket);
                return new GateDecision(DecisionKind.Closed, new GateStatus(GateState.Closed, null, null, Options.RefreshSeconds, closed.Message, closed.ReopensAt), lane);
            }
        }

        // Newcomers drawn in [0, 1); someone who was already waiting but whose number the store lost (a Redis
        // restarted empty) goes ahead of them, in the order they started waiting (a negative draw).
        var draw = ticket.QueuedMs > 0
            ? (ticket.QueuedMs / 1e13) - 1
            : RandomNumberGenerator.GetInt32(int.MaxValue) / (double)int.MaxValue;
        var result = await store.EnterAsync(new EnterCommand(key, lane, user is null ? null : anonymousKey, nowMs, draw, policy));
        if (result.Outcome == EnterOutcome.Admitted)
        {
            if (result.Ticket > 0)
            {
                metrics.Admitted(result.Lane); // a called ticket, not an account already in on another device
                if (ticket.QueuedMs > 0 && ticket.FirstLow >= 0)
                {
                    // measured from when the first number was shown: the time spent before under "en cours
                    // d'estimation" was never promised
                    var promisedMs = ticket.PromisedMs > 0 ? ticket.PromisedMs : ticket.QueuedMs;
                    metrics.Promise(promises.Record(now, ticket.FirstLow, ticket.FirstHigh, (nowMs - promisedMs) / 1000.0).Held);
                }
            }
            Write(context, codec, AdmittedTicket(ticket, key, lane, nowMs));
            return Admitted(lane);
        }

        metrics.Queued(result.Lane);
        var state = await monitor.GetAsync();
        long? position;
        (int Low, int High) computed;
        var drawSeconds = 0;
        if (result.Outcome == EnterOutcome.Lobby)
        {
            position = null;
            var laneState = state.Lanes.FirstOrDefault(l => l.Lane == result.Lane);
            drawSeconds = (int)Math.Ceiling(Math.Max(0, result.LobbyEndsAtMs - nowMs) / 1000.0);
            // the places free now, not in the snapshot: the draw starts when the last place was just taken, and read
            // from a snapshot with places still free, the people drawn were promised the draw and a second
            var after = GateMonitor.DrawMayOutgrowPlaces(result, state, nowMs, policy.FairStartMs)
                ? EtaEstimator.Range(WaitEstimate.Estimating)
                : EtaEstimator.Range(monitor.Estimate(result.Lane, Math.Max(1, laneState?.Waiting ?? 1), state, freeNow: result.FreePlaces));
            computed = EtaEstimator.IsEstimating(after.Low, after.High)
                ? after
                : (drawSeconds, Math.Min(EtaEstimator.MaxSeconds, drawSeconds + after.High));
        }
        else
        {
            position = result.Position;
            computed = EtaEstimator.Range(monitor.Estimate(result.Lane, result.Position, state, result.Ticket, nowMs));
        }
        var eta = EtaEstimator.Next(computed, ticket, state.CapacityEpoch);
        var queuedMs = ticket.QueuedMs > 0 ? ticket.QueuedMs : nowMs;
        var estimating = EtaEstimator.IsEstimating(eta.Low, eta.High); // the first promise is the first number shown
        var firstShown = ticket.FirstLow < 0 && !estimating;
        Write(context, codec, ticket with
        {
            AdmittedKey = null,
            AdmittedLane = null,
            EtaLow = eta.Low,
            EtaHigh = eta.High,
            Epoch = state.CapacityEpoch,
            QueuedMs = queuedMs,
            FirstLow = firstShown ? eta.Low : ticket.FirstLow,
            FirstHigh = firstShown ? eta.High : ticket.FirstHigh,
            PromisedMs = firstShown ? nowMs : ticket.PromisedMs,
        });
        var texts = Options.Texts;
        var message = eta.Rise switch
        {
            EtaRise.CapacityDropped => texts.CapacityDropped,
            EtaRise.SlowerThanPromised => texts.SlowerThanPromised,
            _ => result.Outcome == EnterOutcome.Lobby ? texts.FairStartDraw : null,
        };
        var refresh = estimating
            ? EstimatingRefresh(result.Outcome == EnterOutcome.Lobby ? drawSeconds : null, position, state, policy)
            : Math.Min(Options.RefreshSeconds, Math.Max(2, eta.Low / 2));
        return Queued(position, eta.Low, eta.High, refresh, message, result.Lane);
    }

    /// <summary>
    /// When a page with no number comes back: when something will have changed for that person. In the draw, at its
    /// end (the place is numbered then); with a place among the free ones, when the admission rate of now reaches it
    /// (2 s at the soonest); else after <see cref="GateOptions.RefreshSeconds"/>. Every page without a number came back
    /// after the full 10 s: on the closure morning everyone waited 22 s (2 s as a newcomer, then two full refreshes)
    /// for a place that was theirs after the draw and a second or two (BENCHMARKS.md §30).
    /// </summary>
    private int EstimatingRefresh(int? drawSeconds, long? position, GateSnapshot state, AdmissionPolicy policy)
    {
        if (drawSeconds is { } draw)
        {
            return Math.Clamp(draw, 1, Options.RefreshSeconds);
        }
        if (position is { } p && state.Rate > 0 && p <= policy.MaxActive - state.ActiveTotal)
        {
            return (int)Math.Clamp(Math.Ceiling(p / state.Rate), Math.Min(2, Options.RefreshSeconds), Options.RefreshSeconds);
        }
        return Options.RefreshSeconds;
    }

    /// <summary>
    /// A request that proved nothing (no ticket, not signed in): it gets a ticket to bring back, and no place.
    /// On a quiet node it is served; otherwise it gets the waiting page and takes its place on the next
    /// refresh, when the ticket comes back. A flood of cookie-less requests thus mints nothing in the store
    /// and holds no place.
    /// </summary>
    private async Task<GateDecision> NewcomerAsync(HttpContext context, GateTicketCodec codec, string lane)
    {
        Write(context, codec, GateTicket.New());
        var snapshot = await monitor.GetAsync();
        if (monitor.IsQuiet(snapshot) && !controller.Overloaded && TakeNewcomerToken(snapshot.Rate))
        {
            return Admitted(lane);
        }
        var laneState = snapshot.Lanes.FirstOrDefault(l => l.Lane == lane);
        var (low, high) = EtaEstimator.Range(monitor.Estimate(lane, (laneState?.Waiting ?? 0) + 1, snapshot));
        return Queued(null, low, high, NewcomerRefreshSeconds, Options.Texts.NewcomerMessage, lane);
    }

    /// <summary>
    /// Newcomers served on a quiet node come in no faster than the admission rate (this node's own bucket, not
    /// the queue's): a spike of first visits still reaches the sign-in lane metered, and a flood that empties
    /// this bucket only sends other first visits round one refresh, never touches the queue.
    /// </summary>
    private bool TakeNewcomerToken(double rate)
    {
        var now = time.GetTimestamp();
        lock (_newcomerLock)
        {
            var burst = Math.Max(1, rate);
            _newcomerTokens = _newcomerTokens < 0
                ? burst
                : Math.Min(burst, _newcomerTokens + (time.GetElapsedTime(_newcomerAt, now).TotalSeconds * rate));
            _newcomerAt = now;
            if (_newcomerTokens < 1)
            {
                return false;
            }
            _newcomerTokens -= 1;
            return true;
        }
    }

    public async Task<GateStatus> GetStatusAsync(HttpContext context) => (await DecideAsync(context)).Status;

    public async Task ReleaseAsync(HttpContext context)
    {
        var codec = await keys.GetAsync();
        var policy = limits.Policy;
        var ticket = Read(context, codec);
        if (Options.ResolveUser(context) is { } user)
        {
            await store.ReleaseAsync("a:" + user.Id, policy, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        if (ticket is not null)
        {
            await store.ReleaseAsync("v:" + ticket.VisitorId, policy, time.GetUtcNow().ToUnixTimeMilliseconds());
            if (!context.Response.HasStarted)
            {
                Write(context, codec, ticket.WithoutWait() with { AdmittedKey = null, AdmittedLane = null, SeenMs = 0 });
            }
        }
    }

    public IResult Hold(HttpContext context, TimeSpan retryAfter, string? message = null, string? returnUrl = null) =>
        GatePages.Hold(context, retryAfter, message ?? Options.Texts.HoldMessage, returnUrl);

    public async Task<TimeSpan?> SignInWaitAsync(HttpContext context, string loginName)
    {
        var waitMs = await store.ThrottleWaitAsync(ThrottleKey(context, loginName), time.GetUtcNow().ToUnixTimeMilliseconds());
        if (waitMs <= 0)
        {
            return null;
        }
        metrics.Rejected("signin-throttle");
        return TimeSpan.FromMilliseconds(waitMs);
    }

    public async Task<TimeSpan?> SignInFailedAsync(HttpContext context, string loginName, SignInThrottle rule)
    {
        var waitMs = await store.ThrottleFailAsync(ThrottleKey(context, loginName),
            new ThrottleRule(rule.Threshold, (long)rule.FirstDelay.TotalMilliseconds, (long)rule.MaxDelay.TotalMilliseconds),
            time.GetUtcNow().ToUnixTimeMilliseconds());
        return waitMs > 0 ? TimeSpan.FromMilliseconds(waitMs) : null;
    }

    public Task SignInSucceededAsync(HttpContext context, string loginName) => store.ThrottleClearAsync(ThrottleKey(context, loginName));

    /// <summary>Login and source address: an IPv6 client holds a whole /64, so it counts as one source.</summary>
    private static string ThrottleKey(HttpContext context, string loginName)
    {
        var source = SourceAddress.Key(context.Connection.RemoteIpAddress) ?? "-";
        return "signin:" + source + "|" + loginName.Trim().ToLowerInvariant();
    }

    public IResult TooManyRequests(HttpContext context, TimeSpan retryAfter) => GatePages.TooManyRequests(context, retryAfter);

    /// <summary>The visitor's key for per-account limits: the account, else the signed ticket, else none.</summary>
    public async Task<string?> LimitKeyAsync(HttpContext context) =>
        Options.ResolveUser(context) is { } user ? "a:" + user.Id : Read(context, await keys.GetAsync()) is { } t ? "v:" + t.VisitorId : null;

    private GateTicket? Read(HttpContext context, GateTicketCodec codec)
    {
        var header = context.Request.Headers[Options.TicketHeader].ToString();
        return codec.Decode(header.Length > 0 ? header : context.Request.Cookies[Options.CookieName]);
    }

    private void Write(HttpContext context, GateTicketCodec codec, GateTicket ticket)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        var value = codec.Encode(ticket);
        context.Response.Headers[Options.TicketHeader] = value;
        context.Response.Cookies.Append(Options.CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            Path = "/",
            MaxAge = TimeSpan.FromHours(12),
        });
    }

    private static GateTicket AdmittedTicket(GateTicket ticket, string key, string lane, long nowMs) =>
        ticket.WithoutWait() with { AdmittedKey = key, AdmittedLane = lane, SeenMs = nowMs };

    private string LaneOf(GateUser? user)
    {
        if (user is not null)
        {
            foreach (var (name, lane) in Options.Lanes)
            {
                if (lane.Profiles.Contains(user.Profile, StringComparer.OrdinalIgnoreCase))
                {
                    return name;
                }
            }
        }
        return Options.AnonymousLane;
    }

    private GateDecision Queued(long? position, int low, int high, int refresh, string? message, string lane) =>
        new(DecisionKind.Queued, new GateStatus(GateState.Queued, position, new GateEta(low, high), refresh, message, null)
        {
            EtaText = EtaEstimator.Describe(low, high, Options.Texts),
        }, lane);

    private static GateDecision Admitted(string lane) => new(DecisionKind.Admitted, new GateStatus(GateState.Admitted, null, null, 0, null, null), lane);
}
