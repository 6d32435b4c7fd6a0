using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
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

    /// <summary>Largest form body kept in the waiting page when posted while queued.</summary>
    private const long MaxKeptForm = 256 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!limits.Current.Enabled || IsStatic(context.Request.Path) || IsReExecution(context))
        {
            // an error page re-executed for a request the gate already saw is never queued a second time
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
        if (signIn || IsOwnRoute(context.Request.Path, options) || StartsWithAny(context.Request.Path, options.BypassPaths)
            || endpoint?.Metadata.GetMetadata<SkipGateMetadata>() is not null
            || StartsWithAny(context.Request.Path, options.SignInPaths)
            || (RequiresSignIn(endpoint) && options.ResolveUser(context) is null))
        {
            // nobody signed in asking for a page that needs it: authorization answers (401, or the sign-in
            // page), which takes no place; a 401 stays a 401
            await next(context);
            if (signIn)
            {
                controller.RecordSignIn(held: context.Response.Headers[GateSignals.Header] == "held");
            }
            return;
        }

        var decision = await gate.DecideAsync(context);
        if (decision.Kind == DecisionKind.Admitted)
        {
            await RunMeasuredAsync(context, options);
            return;
        }

        if (endpoint?.Metadata.GetMetadata<EssentialMetadata>() is not null || options.IsEssential(context))
        {
            context.Features.Set<IGateFeature>(new GateFeature(decision.Status));
            await next(context);
            return;
        }

        var kept = await KeepFormAsync(context);
        await GatePages.Waiting(context, decision.Status, kept).ExecuteAsync(context);
    }

    /// <summary>Runs an admitted request and tells the controller how long it took and whose fault a failure was.</summary>
    private async Task RunMeasuredAsync(HttpContext context, GateOptions options)
    {
        var started = time.GetTimestamp();
        Exception? failure = null;
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            var failed = failure is not null || context.Response.StatusCode >= 500;
            var serverFailure = failed && !context.RequestAborted.IsCancellationRequested && options.IsServerFailure(context, failure);
            controller.Record(time.GetElapsedTime(started), serverFailure, inputFailure: failed && !serverFailure);
        }
    }

    /// <summary>A form posted while queued: its fields go into the waiting page, to be posted again when the visitor is let in.</summary>
    private static async Task<KeptForm?> KeepFormAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType || GatePages.WantsJson(context))
        {
            return null;
        }
        var action = request.Path + request.QueryString;
        if (request.ContentLength is not { } length || length > MaxKeptForm)
        {
            return new KeptForm(action, [], DroppedFiles: true);
        }
        try
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            var fields = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
            return new KeptForm(action, fields, form.Files.Count > 0);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return new KeptForm(action, [], DroppedFiles: true);
        }
    }

    private static bool IsReExecution(HttpContext context) =>
        context.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.Features.Get<IExceptionHandlerFeature>() is not null;

    private static bool RequiresSignIn(Endpoint? endpoint) =>
        endpoint is not null
        && endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;

    private static bool IsOwnRoute(PathString path, GateOptions options) =>
        path.Equals(options.Routes.Status, StringComparison.OrdinalIgnoreCase)
        || path.Equals(options.Routes.Waiting, StringComparison.OrdinalIgnoreCase)
        || path.Equals(options.Routes.PublicStatus, StringComparison.OrdinalIgnoreCase);

    /// <summary>One store call for both limits, all or nothing: a refused request spends no permit.</summary>
    private async Task<IResult?> CheckLimitsAsync(HttpContext context, GateOptions options, bool signIn)
    {
        var rules = new List<LimitRule>(2);
        var scopes = new List<string>(2);
        var source = SourceAddress.Key(context.Connection.RemoteIpAddress);
        if (source is { } ip)
        {
            var perIp = signIn ? options.Limits.SignInPerIp : options.Limits.PerIp;
            rules.Add(new LimitRule((signIn ? "sip:" : "ip:") + ip, perIp.PermitsPerSecond, perIp.Burst));
            scopes.Add(signIn ? "signin-ip" : "ip");
        }
        if (await gate.LimitKeyAsync(context) is { } key)
        {
            var perAccount = options.Limits.PerAccount;
            rules.Add(new LimitRule("acc:" + key, perAccount.PermitsPerSecond, perAccount.Burst));
            scopes.Add("account");
        }
        else if (source is { } newcomerIp)
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
