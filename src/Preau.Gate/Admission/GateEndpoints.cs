using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Preau.Gate.Admission;

internal static class GateEndpoints
{
    /// <summary>Anonymous by design: a queued visitor has no session yet; the answer concerns only their own ticket.</summary>
    public static async Task<Ok<GateStatus>> StatusAsync(HttpContext context, PreauGate gate)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await gate.GetStatusAsync(context));
    }

    /// <summary>Anonymous by design: the waiting page of the caller's own ticket; <paramref name="back"/> is a local path only.</summary>
    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> WaitingAsync(HttpContext context, PreauGate gate, GateLimits limits, string? back)
    {
        var target = back is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal) ? r : "/";
        var status = await gate.GetStatusAsync(context);
        if (status.State == GateState.Admitted)
        {
            return TypedResults.LocalRedirect(target);
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(GatePages.WaitingHtml(limits.Options, status, target), "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>Anonymous by design: public figures only (open, queuing, closed profiles).</summary>
    public static async Task<ContentHttpResult> PublicStatusAsync(HttpContext context, GateMonitor monitor, GateLimits limits, TimeProvider time)
    {
        var snapshot = await monitor.GetAsync();
        context.Response.Headers.CacheControl = "public, max-age=10";
        var newcomer = EtaEstimator.Range(monitor.Estimate(limits.Options.AnonymousLane, Math.Max(1, snapshot.WaitingTotal), snapshot));
        var html = GatePages.PublicStatusHtml(limits.Options, snapshot, limits.Current, time.GetUtcNow(), newcomer);
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }
}
