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

    private async Task<IResult?> CheckLimitsAsync(HttpContext context, GateOptions options, bool signIn)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var ip = context.Connection.RemoteIpAddress?.ToString();
        var perIp = signIn ? options.Limits.SignInPerIp : options.Limits.PerIp;
        if (ip is not null)
        {
            var byIp = await store.AcquireAsync((signIn ? "sip:" : "ip:") + ip, perIp.PermitsPerSecond, perIp.Burst, nowMs);
            if (!byIp.Allowed)
            {
                metrics.Rejected(signIn ? "signin-ip" : "ip");
                return GatePages.TooManyRequests(context, TimeSpan.FromMilliseconds(byIp.RetryAfterMs));
            }
        }
        if (gate.LimitKey(context) is { } key)
        {
            var perAccount = options.Limits.PerAccount;
            var byAccount = await store.AcquireAsync("acc:" + key, perAccount.PermitsPerSecond, perAccount.Burst, nowMs);
            if (!byAccount.Allowed)
            {
                metrics.Rejected("account");
                return GatePages.TooManyRequests(context, TimeSpan.FromMilliseconds(byAccount.RetryAfterMs));
            }
        }
        return null;
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
