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
    GateTicketCodec codec,
    TimeProvider time) : IPreauGate
{
    public const string HeaderName = "X-Preau-Gate";

    /// <summary>Admitted users touch the store at most this often; in between the signed ticket suffices.</summary>
    private static readonly long TouchIntervalMs = (long)TimeSpan.FromSeconds(60).TotalMilliseconds;

    private GateOptions Options => limits.Options;

    public async Task<GateDecision> DecideAsync(HttpContext context)
    {
        if (!limits.Current.Enabled)
        {
            return Admitted(Options.AnonymousLane);
        }
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var policy = limits.Policy;
        var user = Options.ResolveUser(context);
        var ticket = Read(context);
        var fresh = ticket is null;
        ticket ??= GateTicket.New();
        var anonymousKey = "v:" + ticket.VisitorId;
        var key = user is null ? anonymousKey : "a:" + user.Id;
        var lane = LaneOf(user);

        if (ticket.AdmittedKey is { } admittedKey && nowMs - ticket.SeenMs < policy.IdleMs
            && (admittedKey == key || (user is not null && admittedKey == anonymousKey)))
        {
            var alias = admittedKey == key ? null : admittedKey;
            if (alias is not null || nowMs - ticket.SeenMs >= TouchIntervalMs || ticket.AdmittedLane != lane)
            {
                await store.TouchAsync(key, lane, alias, nowMs, policy);
                Write(context, ticket with { AdmittedKey = key, AdmittedLane = lane, SeenMs = nowMs, EtaLow = -1, EtaHigh = -1 });
            }
            return Admitted(lane);
        }

        if (user is not null && Options.Windows.Count > 0)
        {
            var snapshot = await monitor.GetAsync();
            var surge = snapshot.WaitingTotal > 0 || snapshot.ActiveTotal >= policy.MaxActive;
            if (ProfileWindows.Check(Options.Windows, user.Profile, now, surge) is { } closed)
            {
                if (fresh)
                {
                    Write(context, ticket);
                }
                return new GateDecision(DecisionKind.Closed, new GateStatus(GateState.Closed, null, null, Options.RefreshSeconds, closed.Message, closed.ReopensAt), lane);
            }
        }

        var draw = RandomNumberGenerator.GetInt32(int.MaxValue) / (double)int.MaxValue;
        var result = await store.EnterAsync(new EnterCommand(key, lane, user is null ? null : anonymousKey, nowMs, draw, policy));
        if (result.Outcome == EnterOutcome.Admitted)
        {
            if (result.Ticket > 0)
            {
                metrics.Admitted(result.Lane); // a called ticket, not an account already in on another device
            }
            Write(context, ticket with { AdmittedKey = key, AdmittedLane = lane, SeenMs = nowMs, EtaLow = -1, EtaHigh = -1 });
            return Admitted(lane);
        }

        metrics.Queued(result.Lane);
        var state = await monitor.GetAsync();
        long? position;
        (int Low, int High) computed;
        if (result.Outcome == EnterOutcome.Lobby)
        {
            position = null;
            var laneState = state.Lanes.FirstOrDefault(l => l.Lane == result.Lane);
            var drawSeconds = (int)Math.Ceiling(Math.Max(0, result.LobbyEndsAtMs - nowMs) / 1000.0);
            var after = EtaEstimator.Compute(Math.Max(1, laneState?.Waiting ?? 1), monitor.LaneRate(result.Lane, state));
            computed = (drawSeconds, Math.Min(EtaEstimator.MaxSeconds, drawSeconds + after.High));
        }
        else
        {
            position = result.Position;
            computed = EtaEstimator.Compute(result.Position, monitor.LaneRate(result.Lane, state));
        }
        var eta = EtaEstimator.Next(computed, ticket, state.CapacityEpoch);
        Write(context, ticket with { AdmittedKey = null, AdmittedLane = null, EtaLow = eta.Low, EtaHigh = eta.High, Epoch = state.CapacityEpoch });
        var message = eta.RoseAfterCapacityDrop
            ? "La capacité d'accueil vient de baisser (serveurs ralentis ou limite abaissée) : l'attente estimée a été revue à la hausse."
            : result.Outcome == EnterOutcome.Lobby
                ? "Tirage au sort en cours : les personnes arrivées dans les premières secondes sont placées dans un ordre aléatoire, recharger la page ne donne aucun avantage."
                : null;
        var refresh = Math.Min(Options.RefreshSeconds, Math.Max(2, eta.Low / 2));
        return new GateDecision(DecisionKind.Queued, new GateStatus(GateState.Queued, position, new GateEta(eta.Low, eta.High), refresh, message, null), result.Lane);
    }

    public async Task<GateStatus> GetStatusAsync(HttpContext context) => (await DecideAsync(context)).Status;

    public async Task ReleaseAsync(HttpContext context)
    {
        var policy = limits.Policy;
        var ticket = Read(context);
        if (Options.ResolveUser(context) is { } user)
        {
            await store.ReleaseAsync("a:" + user.Id, policy);
        }
        if (ticket is not null)
        {
            await store.ReleaseAsync("v:" + ticket.VisitorId, policy);
            if (!context.Response.HasStarted)
            {
                Write(context, ticket with { AdmittedKey = null, AdmittedLane = null, SeenMs = 0, EtaLow = -1, EtaHigh = -1 });
            }
        }
    }

    public IResult Hold(HttpContext context, TimeSpan retryAfter, string? message = null, string? returnUrl = null) =>
        GatePages.Hold(context, retryAfter, message ?? "Beaucoup de connexions en même temps : votre connexion attend son tour.", returnUrl);

    public async Task<TimeSpan?> CheckSignInAsync(string loginName)
    {
        var rule = Options.Limits.SignInPerAccount;
        var decision = await store.AcquireAsync("login:" + loginName.Trim().ToLowerInvariant(), rule.PermitsPerSecond, rule.Burst, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (decision.Allowed)
        {
            return null;
        }
        metrics.Rejected("signin-account");
        return TimeSpan.FromMilliseconds(decision.RetryAfterMs);
    }

    public IResult TooManyRequests(HttpContext context, TimeSpan retryAfter) => GatePages.TooManyRequests(context, retryAfter);

    /// <summary>The visitor's key for per-account limits: the account, else the signed ticket, else none.</summary>
    public string? LimitKey(HttpContext context) =>
        Options.ResolveUser(context) is { } user ? "a:" + user.Id : Read(context) is { } t ? "v:" + t.VisitorId : null;

    public GateTicket? Read(HttpContext context)
    {
        var header = context.Request.Headers[HeaderName].ToString();
        return codec.Decode(header.Length > 0 ? header : context.Request.Cookies[Options.CookieName]);
    }

    private void Write(HttpContext context, GateTicket ticket)
    {
        var value = codec.Encode(ticket);
        context.Response.Headers[HeaderName] = value;
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

    private static GateDecision Admitted(string lane) => new(DecisionKind.Admitted, new GateStatus(GateState.Admitted, null, null, 0, null, null), lane);
}
