using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Preau.Gate.Store;

namespace Preau.Gate.Admission;

/// <summary>
/// The gate's own pages: tiny, self-contained, French, no database, no JavaScript needed (meta refresh;
/// a short script only updates the figures in place). Each stays under 5 KB.
/// </summary>
internal static class GatePages
{
    public const string StatusPath = "/api/v1/gate/status";
    public const string WaitingPath = "/attente";
    public const string PublicStatusPath = "/statut";

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private const string Style = "<style>body{font:1.05rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}" +
        "h1{font-size:1.4rem}.big{font-size:2.2rem;font-weight:700;margin:.2rem 0}.note{background:#fff4d6;padding:.6rem;border-radius:.4rem}" +
        "small{color:#555}</style>";

    /// <summary>Optional: updates the position and the wait in place (same wording as the server), reloads when admitted.</summary>
    private const string Script = "<script>function d(l,h){if(h>=7200)return'plus de 2 heures';if(h<=60)return\"moins d'une minute\";" +
        "var a=Math.floor(l/60),b=Math.max(a+1,Math.ceil(h/60));return a==0?'moins de '+b+' minutes':'entre '+a+' et '+b+' minutes'}" +
        "setInterval(function(){fetch('{STATUS}',{headers:{Accept:'application/json'}}).then(function(r){return r.json()}).then(function(s){" +
        "if(s.state!=='queued'){location.reload();return}var p=document.getElementById('pos'),e=document.getElementById('eta');" +
        "if(p&&s.position!=null)p.textContent=s.position;if(e&&s.etaSeconds)e.textContent=d(s.etaSeconds.low,s.etaSeconds.high)}).catch(function(){})},{EVERY});</script>";

    public static bool WantsJson(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        return context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || (accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase));
    }

    public static IResult Waiting(HttpContext context, GateStatus status)
    {
        context.Response.Headers[GateSignals.Header] = status.State == GateState.Closed ? "closed" : "queued";
        SetRetryAfter(context, TimeSpan.FromSeconds(status.RefreshSeconds));
        if (WantsJson(context))
        {
            return TypedResults.Json(status, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var options = context.RequestServices.GetRequiredService<IOptions<GateOptions>>().Value;
        var links = options.EssentialLinks.Count > 0 && options.ResolveUser(context) is not null ? options.EssentialLinks : null;
        return TypedResults.Content(WaitingHtml(status, context.Request.Path + context.Request.QueryString, links), "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status503ServiceUnavailable);
    }

    public static string WaitingHtml(GateStatus status, string returnUrl, IReadOnlyList<GateLink>? essentialLinks = null)
    {
        var back = Encode(returnUrl.Length == 0 ? "/" : returnUrl);
        var b = new StringBuilder(2048);
        b.Append("<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        b.Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{status.RefreshSeconds};url={back}\">");
        b.Append("<title>Préau – salle d'attente</title>").Append(Style).Append("</head><body><main>");
        if (status.State == GateState.Closed)
        {
            b.Append("<h1>Accès momentanément fermé</h1><p>").Append(Encode(status.Message ?? "")).Append("</p>");
        }
        else
        {
            b.Append("<h1>Préau est très demandé en ce moment</h1><p>Vous êtes dans la file d'attente. Gardez cette page ouverte : elle se met à jour toute seule et vous laissera entrer dès que ce sera votre tour.</p>");
            if (status.Position is { } position)
            {
                b.Append(CultureInfo.InvariantCulture, $"<p>Votre place :</p><p class=\"big\" id=\"pos\">{position}</p>");
            }
            if (status.EtaSeconds is { } eta)
            {
                b.Append("<p>Attente estimée : <strong id=\"eta\">").Append(EtaEstimator.Describe(eta.Low, eta.High)).Append("</strong></p>");
            }
            if (status.Message is { } message)
            {
                b.Append("<p class=\"note\">").Append(Encode(message)).Append("</p>");
            }
            if (essentialLinks is { Count: > 0 })
            {
                b.Append("<p>En attendant, sans faire la queue :</p><ul>");
                foreach (var link in essentialLinks)
                {
                    b.Append("<li><a href=\"").Append(Encode(link.Href)).Append("\">").Append(Encode(link.Text)).Append("</a></li>");
                }
                b.Append("</ul>");
            }
            b.Append("<p><small>L'estimation vient du rythme réel des entrées. Inutile de recharger la page : votre place est gardée, même si vous changez d'appareil après vous être connecté.</small></p>");
            // The refresh is what lets a waiting visitor in without JavaScript; a link does it by hand too.
            b.Append(CultureInfo.InvariantCulture, $"<p><small>Cette page se met à jour toute seule toutes les {status.RefreshSeconds} secondes. <a href=\"{back}\">Actualiser maintenant</a></small></p>");
            b.Append(Script.Replace("{STATUS}", StatusPath, StringComparison.Ordinal)
                .Replace("{EVERY}", (status.RefreshSeconds * 500).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }
        b.Append("</main></body></html>");
        return b.ToString();
    }

    public static IResult Hold(HttpContext context, TimeSpan retryAfter, string message, string? returnUrl)
    {
        GateSignals.MarkHeld(context.Response);
        var seconds = SetRetryAfter(context, retryAfter);
        if (WantsJson(context))
        {
            return TypedResults.Problem(message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Connexion en attente",
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
        }
        var back = Encode(returnUrl ?? context.Request.Path.ToString());
        var html = $"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
            $"<meta http-equiv=\"refresh\" content=\"{seconds};url={back}\"><title>Préau – connexion en attente</title>{Style}</head><body>" +
            $"<h1>Connexion en attente</h1><p>{Encode(message)}</p><p>Nouvel essai automatique dans {seconds} secondes. Vous n'avez rien à retaper si la page revient toute seule ; sinon, <a href=\"{back}\">réessayez</a>.</p></body></html>";
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status503ServiceUnavailable);
    }

    public static IResult TooManyRequests(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = SetRetryAfter(context, retryAfter);
        const string detail = "Trop de demandes en peu de temps depuis ce compte ou cette adresse.";
        if (WantsJson(context))
        {
            return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Trop de demandes",
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
        }
        var back = Encode(context.Request.Path.ToString());
        var html = $"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
            $"<meta http-equiv=\"refresh\" content=\"{seconds};url={back}\"><title>Préau – trop de demandes</title>{Style}</head><body>" +
            $"<h1>Un peu de patience</h1><p>{detail} Merci de patienter {seconds} secondes : la page reviendra toute seule.</p></body></html>";
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status429TooManyRequests);
    }

    public static string PublicStatusHtml(GateSnapshot snapshot, GateLimitValues limits, IEnumerable<GateWindowOptions> windows, DateTimeOffset now, double newcomerRate)
    {
        var b = new StringBuilder(2048);
        b.Append("<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        b.Append("<meta http-equiv=\"refresh\" content=\"30\"><title>Préau – état du service</title>").Append(Style).Append("</head><body><main><h1>État du service Préau</h1>");
        var surge = snapshot.WaitingTotal > 0 || snapshot.ActiveTotal >= limits.MaxActiveUsers;
        if (!limits.Enabled || !surge)
        {
            b.Append("<p class=\"big\">Ouvert</p><p>Préau est accessible normalement, sans attente.</p>");
        }
        else
        {
            var eta = EtaEstimator.Compute(Math.Max(1, snapshot.WaitingTotal), newcomerRate);
            b.Append("<p class=\"big\">File d'attente</p><p>Préau est très demandé : les nouveaux arrivants attendent ")
                .Append(EtaEstimator.Describe(eta.Low, eta.High))
                .Append(CultureInfo.InvariantCulture, $" ({Count(snapshot.WaitingTotal)} {(snapshot.WaitingTotal == 1 ? "personne" : "personnes")} en attente).</p>");
        }
        foreach (var window in windows)
        {
            if (ProfileWindows.Check([window], window.Profile, now, surge) is { } closed)
            {
                b.Append("<p class=\"note\">Fermé pour les ").Append(Encode(ProfileWindows.Plural(window.Profile))).Append(" : ").Append(Encode(closed.Message)).Append("</p>");
            }
        }
        b.Append(CultureInfo.InvariantCulture, $"<p><small>Mis à jour le {ProfileWindows.ToParis(now).ToString("d MMMM 'à' H' h 'mm", French)} (heure de Paris). Cette page se met à jour toute seule toutes les 30 secondes. <a href=\"{PublicStatusPath}\">Actualiser maintenant</a></small></p></main></body></html>");
        return b.ToString();
    }

    /// <summary>"20 000": thousands grouped with a narrow no-break space.</summary>
    private static string Count(long n) => n.ToString("N0", French).Replace('\u00A0', '\u202F').Replace(' ', '\u202F');

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
