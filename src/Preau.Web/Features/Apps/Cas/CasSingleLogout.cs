using System.Globalization;
using System.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Data.Apps;

namespace Preau.Web.Features.Apps.Cas;

/// <summary>
/// CAS single logout: for each CAS sign-in of the ended sessions, the app receives the SAML
/// <c>logoutRequest</c> naming the service ticket (its session index) at its logout URI, or at the service URL
/// the ticket was issued for. The rows go at once; the requests leave in the background, so a sign-out never
/// waits for an app.
/// </summary>
internal sealed class CasSingleLogout(PreauDbContext db, CasLogoutSender sender) : IAppLogout
{
    public async Task SessionsEndedAsync(IReadOnlyList<string> sessionIds, CancellationToken ct)
    {
        var signIns = await db.AppSignIns.AsNoTracking()
            .Where(s => sessionIds.Contains(s.SessionId) && s.App!.Protocol == AppProtocol.Cas)
            .Select(s => new { s.Id, s.Reference, s.Service, s.App!.LogoutUri }).ToListAsync(ct);
        if (signIns.Count == 0)
        {
            return;
        }
        var ids = signIns.Select(s => s.Id).ToList();
        await db.AppSignIns.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
        sender.Send([.. signIns.Where(s => (s.LogoutUri ?? s.Service) is not null)
            .Select(s => new CasLogoutRequest(new Uri(s.LogoutUri ?? s.Service!), s.Reference))]);
    }
}

internal sealed record CasLogoutRequest(Uri Target, string Ticket);

/// <summary>Posts logout requests off the request that ended the session, each with a short timeout.</summary>
internal sealed class CasLogoutSender(IHttpClientFactory clients, IOptions<CasOptions> options, TimeProvider clock, ILogger<CasLogoutSender> log)
{
    public void Send(IReadOnlyList<CasLogoutRequest> requests)
    {
        if (requests.Count > 0)
        {
            _ = Task.Run(() => Task.WhenAll(requests.Select(PostAsync)));
        }
    }

    private async Task PostAsync(CasLogoutRequest request)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.LogoutTimeoutSeconds));
            using var client = clients.CreateClient(CasSetup.LogoutClient);
            using var body = new FormUrlEncodedContent([new("logoutRequest", LogoutRequest(request.Ticket, clock.GetUtcNow()))]);
            using var response = await client.PostAsync(request.Target, body, timeout.Token);
            log.LogDebug("CAS single logout to {Target}: {Status}", request.Target, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            log.LogInformation("CAS single logout to {Target} got no answer: {Error}", request.Target, ex.Message);
        }
    }

    /// <summary>The SAML 2.0 LogoutRequest of the CAS protocol (the session index is the service ticket).</summary>
    public static string LogoutRequest(string ticket, DateTimeOffset now) =>
        "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\""
        + $" ID=\"LR-{Guid.NewGuid():N}\" Version=\"2.0\" IssueInstant=\"{now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\">"
        + "<saml:NameID>@NOT_USED@</saml:NameID>"
        + $"<samlp:SessionIndex>{SecurityElement.Escape(ticket)}</samlp:SessionIndex></samlp:LogoutRequest>";
}
