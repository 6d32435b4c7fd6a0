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

    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> WaitingAsync(HttpContext context, PreauGate gate, string? retour)
    {
        var back = retour is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/";
        var status = await gate.GetStatusAsync(context);
        if (status.State == GateState.Admitted)
        {
            return TypedResults.LocalRedirect(back);
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(GatePages.WaitingHtml(status, back), "text/html; charset=utf-8", Encoding.UTF8);
    }

    public static async Task<ContentHttpResult> PublicStatusAsync(HttpContext context, GateMonitor monitor, GateLimits limits, TimeProvider time)
    {
        var snapshot = await monitor.GetAsync();
        context.Response.Headers.CacheControl = "public, max-age=10";
        var html = GatePages.PublicStatusHtml(snapshot, limits.Current, limits.Options.Windows, time.GetUtcNow(), snapshot.Rate);
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }
}
