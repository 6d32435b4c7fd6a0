using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>Abuse limits for everyone, then admission for whoever needs the application.</summary>
internal sealed class GateMiddleware(
    RequestDelegate next,
    PreauGate gate,
    GateLimits limits,
    IGateStore store,
    AdmissionController controller,
    GateMetrics metrics,
    TimeProvider time)
{
    private static readonly string[] StaticPrefixes = ["/css", "/js", "/lib", "/images", "/img", "/fonts"];
    private static readonly string[] AlwaysOpen = ["/healthz", "/readyz", "/metrics", "/favicon.ico", GatePages.PublicStatusPath, GatePages.WaitingPath, GatePages.StatusPath];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!limits.Current.Enabled || IsStatic(context.Request.Path))
        {
            await next(context);
            return;
        }

        var options = limits.Options;
        var signIn = HttpMethods.IsPost(context.Request.Method) && StartsWithAny(context.Request.Path, options.SignInPaths);
        if (await CheckLimitsAsync(context, options, signIn) is { } refusal)
        {
            await refusal.ExecuteAsync(context);
            return;
        }

        var endpoint = context.GetEndpoint();
        if (signIn || StartsWithAny(context.Request.Path, AlwaysOpen) || StartsWithAny(context.Request.Path, options.BypassPaths)
            || endpoint?.Metadata.GetMetadata<SkipGateMetadata>() is not null
            || StartsWithAny(context.Request.Path, options.SignInPaths))
        {
            await next(context);
            return;
        }

        var decision = await gate.DecideAsync(context);
        if (decision.Kind == DecisionKind.Admitted)
        {
            var started = time.GetTimestamp();
            var failed = false;
            try
            {
                await next(context);
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                controller.Record(time.GetElapsedTime(started), failed || context.Response.StatusCode >= 500);
            }
            return;
        }

        if (endpoint?.Metadata.GetMetadata<EssentialMetadata>() is not null || options.IsEssential(context))
        {
            context.Features.Set<IGateFeature>(new GateFeature(decision.Status));
            await next(context);
            return;
        }

        await GatePages.Waiting(context, decision.Status).ExecuteAsync(context);
    }

    /// <summary>One store call for both limits, all or nothing: a refused request spends no permit.</summary>
    private async Task<IResult?> CheckLimitsAsync(HttpContext context, GateOptions options, bool signIn)
    {
        var rules = new List<LimitRule>(2);
        var scopes = new List<string>(2);
        if (context.Connection.RemoteIpAddress?.ToString() is { } ip)
        {
            var perIp = signIn ? options.Limits.SignInPerIp : options.Limits.PerIp;
            rules.Add(new LimitRule((signIn ? "sip:" : "ip:") + ip, perIp.PermitsPerSecond, perIp.Burst));
            scopes.Add(signIn ? "signin-ip" : "ip");
        }
        if (gate.LimitKey(context) is { } key)
        {
            var perAccount = options.Limits.PerAccount;
            rules.Add(new LimitRule("acc:" + key, perAccount.PermitsPerSecond, perAccount.Burst));
            scopes.Add("account");
        }
        else if (context.Connection.RemoteIpAddress?.ToString() is { } newcomerIp)
        {
            // a client that drops its cookie would take a new ticket on every request: bound that per address
            var perNewcomer = options.Limits.NewVisitorsPerIp;
            rules.Add(new LimitRule("new:" + newcomerIp, perNewcomer.PermitsPerSecond, perNewcomer.Burst));
            scopes.Add("new-visitor-ip");
        }
        if (rules.Count == 0)
        {
            return null;
        }
        var decision = await store.AcquireAsync(rules, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (decision.Allowed)
        {
            return null;
        }
        metrics.Rejected(scopes[decision.RefusedIndex]);
        return GatePages.TooManyRequests(context, TimeSpan.FromMilliseconds(decision.RetryAfterMs));
    }

    internal static bool IsStatic(PathString path)
    {
        var value = path.Value ?? "";
        if (value.Equals("/favicon.ico", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return Path.HasExtension(value) && StaticPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
    }

    private static bool StartsWithAny(PathString path, IEnumerable<string> prefixes) =>
        prefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    [DebuggerDisplay("{Status}")]
    private sealed record GateFeature(GateStatus Status) : IGateFeature;
}
