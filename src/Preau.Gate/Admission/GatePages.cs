using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>A form posted while queued: its fields, kept in the waiting page and posted again when admitted.</summary>
internal sealed record KeptForm(string Action, IReadOnlyList<KeyValuePair<string, string>> Fields, bool DroppedFiles);

/// <summary>
/// The gate's own pages: tiny, self-contained, no database, no JavaScript needed (meta refresh; a short
/// script only updates the figures in place). Each stays under 5 KB. Every word comes from <see cref="GateTexts"/>.
/// </summary>
internal static class GatePages
{
    private const string Style = "<style>body{font:1.05rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}" +
        "h1{font-size:1.4rem}.big{font-size:2.2rem;font-weight:700;margin:.2rem 0}.note{background:#fff4d6;padding:.6rem;border-radius:.4rem}" +
        "small{color:#555}button{font:inherit;padding:.5rem 1rem}</style>";

    /// <summary>Optional: updates the position and the wait in place; when admitted, reloads (or posts the kept form).</summary>
    private const string Script = "<script>setInterval(function(){fetch('{STATUS}',{headers:{Accept:'application/json'}}).then(function(r){return r.json()}).then(function(s){" +
        "if(s.state!=='queued'){var f=document.getElementById('kept');if(f){f.submit()}else{location.reload()}return}" +
        "var p=document.getElementById('pos'),e=document.getElementById('eta');" +
        "if(p&&s.position!=null)p.textContent=s.position;if(e&&s.etaText)e.textContent=s.etaText}).catch(function(){})},{EVERY});</script>";

    public static GateOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<GateOptions>>().Value;

    public static bool WantsJson(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        return context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || (accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>503 for a queued or closed visitor: the waiting page for people, a problem with the status fields for API callers.</summary>
    public static IResult Waiting(HttpContext context, GateStatus status, KeptForm? form = null)
    {
        var options = Options(context);
        var texts = options.Texts;
        context.Response.Headers[GateSignals.Header] = status.State == GateState.Closed ? "closed" : "queued";
        var seconds = SetRetryAfter(context, TimeSpan.FromSeconds(status.RefreshSeconds));
        if (WantsJson(context))
        {
            var closed = status.State == GateState.Closed;
            return TypedResults.Problem(
                closed ? status.Message : status.Message ?? texts.QueuedProblemDetail,
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: closed ? texts.ClosedProblemTitle : texts.QueuedProblemTitle,
                extensions: new Dictionary<string, object?>
                {
                    ["state"] = closed ? "closed" : "queued",
                    ["position"] = status.Position,
                    ["etaSeconds"] = status.EtaSeconds,
                    ["etaText"] = status.EtaText,
                    ["refreshSeconds"] = status.RefreshSeconds,
                    ["retryAfterSeconds"] = seconds,
                    ["reopensAt"] = status.ReopensAt,
                });
        }
        var links = options.ResolveUser(context) is { } user
            ? options.EssentialLinks.Where(l => l.Profiles is null || l.Profiles.Contains(user.Profile, StringComparer.Ordinal)).ToList()
            : null;
        var html = WaitingHtml(options, status, context.Request.Path + context.Request.QueryString, links, form);
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status503ServiceUnavailable);
    }

    public static string WaitingHtml(GateOptions options, GateStatus status, string returnUrl, IReadOnlyList<GateLink>? essentialLinks = null, KeptForm? form = null)
    {
        var texts = options.Texts;
        var back = Encode(returnUrl.Length == 0 ? "/" : returnUrl);
        var b = new StringBuilder(2048);
        b.Append("<!doctype html><html lang=\"").Append(Encode(texts.CultureInfo.TwoLetterISOLanguageName)).Append("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        if (form is null)
        {
            // a kept form must not be replaced by a GET: it waits for the script, or for its button
            b.Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{status.RefreshSeconds}; url={back}\">");
        }
        b.Append("<title>").Append(Encode(texts.WaitingTitle)).Append("</title>").Append(Style).Append("</head><body><main>");
        if (status.State == GateState.Closed)
        {
            b.Append("<h1>").Append(Encode(texts.ClosedHeadline)).Append("</h1><p>").Append(Encode(status.Message ?? "")).Append("</p>");
            AppendForm(b, form, texts);
        }
        else
        {
            b.Append("<h1>").Append(Encode(texts.WaitingHeadline)).Append("</h1><p>").Append(Encode(texts.WaitingIntro)).Append("</p>");
            if (status.Position is { } position)
            {
                b.Append("<p>").Append(Encode(texts.PositionLabel)).Append(CultureInfo.InvariantCulture, $"</p><p class=\"big\" id=\"pos\">{position}</p>");
            }
            if (status.EtaSeconds is { } eta)
            {
                b.Append("<p>").Append(Encode(texts.EtaLabel)).Append(" <strong id=\"eta\">").Append(Encode(EtaEstimator.Describe(eta.Low, eta.High, texts))).Append("</strong></p>");
            }
            if (status.Message is { } message)
            {
                b.Append("<p class=\"note\">").Append(Encode(message)).Append("</p>");
            }
            AppendForm(b, form, texts);
            if (essentialLinks is { Count: > 0 })
            {
                b.Append("<p>").Append(Encode(texts.EssentialLinksIntro)).Append("</p><ul>");
                foreach (var link in essentialLinks)
                {
                    b.Append("<li><a href=\"").Append(Encode(link.Href)).Append("\">").Append(Encode(link.Text)).Append("</a></li>");
                }
                b.Append("</ul>");
            }
            b.Append("<p><small>").Append(Encode(texts.WaitingFootnote)).Append("</small></p>");
            if (form is null)
            {
                // The meta refresh is what lets a visitor without JavaScript in; the page says so and offers it by hand.
                AppendRefreshNotice(b, texts, status.RefreshSeconds, back);
            }
            b.Append(Script.Replace("{STATUS}", options.Routes.Status, StringComparison.Ordinal)
                .Replace("{EVERY}", (status.RefreshSeconds * 500).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }
        b.Append("</main></body></html>");
        return b.ToString();
    }

    private static void AppendRefreshNotice(StringBuilder b, GateTexts texts, int seconds, string encodedHref) =>
        b.Append("<p><small>").Append(Encode(texts.Format(texts.SelfRefreshNotice, seconds.ToString(CultureInfo.InvariantCulture))))
            .Append(" <a href=\"").Append(encodedHref).Append("\">").Append(Encode(texts.RefreshNowLabel)).Append("</a></small></p>");

    private static void AppendForm(StringBuilder b, KeptForm? form, GateTexts texts)
    {
        if (form is null)
        {
            return;
        }
        b.Append("<form id=\"kept\" method=\"post\" action=\"").Append(Encode(form.Action)).Append("\">");
        foreach (var (name, value) in form.Fields)
        {
            b.Append("<input type=\"hidden\" name=\"").Append(Encode(name)).Append("\" value=\"").Append(Encode(value)).Append("\">");
        }
        b.Append("<p class=\"note\">").Append(Encode(texts.FormKeptMessage));
        if (form.DroppedFiles)
        {
            b.Append(' ').Append(Encode(texts.FormFilesNotKept));
        }
        b.Append("</p><p><button type=\"submit\">").Append(Encode(texts.FormKeptButton)).Append("</button></p></form>");
    }

    public static IResult Hold(HttpContext context, TimeSpan retryAfter, string message, string? returnUrl)
    {
        var texts = Options(context).Texts;
        GateSignals.MarkHeld(context.Response);
        var seconds = SetRetryAfter(context, retryAfter);
        if (WantsJson(context))
        {
            return TypedResults.Problem(message, statusCode: StatusCodes.Status503ServiceUnavailable, title: texts.HoldTitle,
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
        }
        var back = Encode(returnUrl ?? context.Request.Path.ToString());
        var html = Page(texts, texts.HoldTitle, $"<meta http-equiv=\"refresh\" content=\"{seconds}; url={back}\">",
            $"<h1>{Encode(texts.HoldTitle)}</h1><p>{Encode(message)}</p><p>{texts.Format(texts.HoldRetry, seconds, back)}</p>");
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status503ServiceUnavailable);
    }

    public static IResult TooManyRequests(HttpContext context, TimeSpan retryAfter)
    {
        var texts = Options(context).Texts;
        var seconds = SetRetryAfter(context, retryAfter);
        if (WantsJson(context))
        {
            return TypedResults.Problem(texts.TooManyDetail, statusCode: StatusCodes.Status429TooManyRequests, title: texts.TooManyTitle,
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
        }
        var back = Encode(context.Request.Path.ToString());
        var html = Page(texts, texts.TooManyTitle, $"<meta http-equiv=\"refresh\" content=\"{seconds}; url={back}\">",
            $"<h1>{Encode(texts.TooManyHeadline)}</h1><p>{Encode(texts.TooManyDetail)} {Encode(texts.Format(texts.TooManyRetry, seconds))}</p>");
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status429TooManyRequests);
    }

    public static string PublicStatusHtml(GateOptions options, GateSnapshot snapshot, GateLimitValues limits, DateTimeOffset now, (int Low, int High) newcomer)
    {
        var texts = options.Texts;
        var b = new StringBuilder(2048);
        b.Append("<h1>").Append(Encode(texts.PublicStatusTitle)).Append("</h1>");
        var surge = snapshot.WaitingTotal > 0 || snapshot.ActiveTotal >= limits.MaxActiveUsers;
        if (!limits.Enabled || !surge)
        {
            b.Append("<p class=\"big\">").Append(Encode(texts.PublicOpen)).Append("</p><p>").Append(Encode(texts.PublicOpenDetail)).Append("</p>");
        }
        else
        {
            b.Append("<p class=\"big\">").Append(Encode(texts.PublicQueue)).Append("</p><p>")
                .Append(Encode(texts.Format(texts.PublicQueueDetail, EtaEstimator.Describe(newcomer.Low, newcomer.High, texts), snapshot.WaitingTotal))).Append("</p>");
        }
        foreach (var window in options.Windows)
        {
            if (ProfileWindows.Check([window], window.Profile, now, surge, texts) is { } closed)
            {
                b.Append("<p class=\"note\">").Append(Encode(texts.Format(texts.PublicClosedFor, texts.Plural(window.Profile), closed.Message))).Append("</p>");
            }
        }
        var local = ProfileWindows.Local(now, texts).ToString("d MMMM yyyy, H' h 'mm", texts.CultureInfo);
        b.Append("<p><small>").Append(Encode(texts.Format(texts.PublicUpdated, local))).Append("</small></p>");
        AppendRefreshNotice(b, texts, 30, Encode(options.Routes.PublicStatus));
        return Page(texts, texts.PublicStatusTitle, "<meta http-equiv=\"refresh\" content=\"30\">", b.ToString());
    }

    private static string Page(GateTexts texts, string title, string head, string body) =>
        $"<!doctype html><html lang=\"{Encode(texts.CultureInfo.TwoLetterISOLanguageName)}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
        $"{head}<title>{Encode(title)}</title>{Style}</head><body><main>{body}</main></body></html>";

    private static int SetRetryAfter(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return seconds;
    }

    /// <summary>Escapes markup only (attributes are double-quoted): accented letters and apostrophes stay as they are, which keeps pages small and readable.</summary>
    private static string Encode(string value) => value
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);
}
