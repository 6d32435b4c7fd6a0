using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using Preau.Data;
using Preau.Data.Apps;

namespace Preau.Web.Features.Apps.Oidc;

/// <summary>One back-channel logout to deliver: where, and the signed logout token.</summary>
internal sealed record OidcLogoutNotice(Uri LogoutUri, string LogoutToken);

/// <summary>
/// Ends the app sessions a Préau session opened: revokes the tokens issued under them at once, and queues an
/// OpenID Connect back-channel logout token (sid + event) for each app that gave a logout URI, delivered in
/// the background so that signing out of Préau never waits on an app.
/// </summary>
internal sealed class OidcLogout(PreauDbContext db, IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens,
    IOptionsMonitor<OpenIddictServerOptions> server, IOptions<OidcOptions> options, IHttpContextAccessor http,
    TimeProvider clock, Channel<OidcLogoutNotice> outbox) : IAppLogout
{
    private const string BackChannelEvent = "http://schemas.openid.net/event/backchannel-logout";

    public async Task SessionsEndedAsync(IReadOnlyList<string> sessionIds, CancellationToken ct)
    {
        var signIns = await db.AppSignIns.AsNoTracking()
            .Where(s => sessionIds.Contains(s.SessionId) && s.App!.Protocol == AppProtocol.OpenIdConnect)
            .Select(s => new { s.Id, s.Reference, s.AppId, s.PersonId, s.App!.ClientId, s.App.LogoutUri })
            .ToListAsync(ct);
        if (signIns.Count == 0)
        {
            return;
        }

        foreach (var signIn in signIns)
        {
            await tokens.RevokeByAuthorizationIdAsync(signIn.Reference, ct);
            if (await authorizations.FindByIdAsync(signIn.Reference, ct) is { } authorization)
            {
                await authorizations.TryRevokeAsync(authorization, ct);
            }
        }

        var issuer = Issuer();
        var signing = server.CurrentValue.SigningCredentials.FirstOrDefault();
        if (issuer is not null && signing is not null)
        {
            var subjects = await db.AppSubjects.AsNoTracking()
                .Where(s => signIns.Select(i => i.AppId).Contains(s.AppId) && signIns.Select(i => i.PersonId).Contains(s.PersonId))
                .ToListAsync(ct);
            foreach (var signIn in signIns.Where(s => s.LogoutUri is not null))
            {
                var subject = subjects.FirstOrDefault(s => s.AppId == signIn.AppId && s.PersonId == signIn.PersonId)?.Subject;
                outbox.Writer.TryWrite(new OidcLogoutNotice(new Uri(signIn.LogoutUri!),
                    LogoutToken(issuer, signIn.ClientId, subject, signIn.Reference, signing)));
            }
        }

        var ids = signIns.Select(s => s.Id).ToList();
        await db.AppSignIns.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
    }

    private string? Issuer()
    {
        if ((options.Value.Issuer ?? server.CurrentValue.Issuer) is { } configured)
        {
            return configured.AbsoluteUri;
        }
        // as OpenIddict derives it from the request when none is configured
        return http.HttpContext?.Request is { } request ? $"{request.Scheme}://{request.Host}{request.PathBase}/" : null;
    }

    private string LogoutToken(string issuer, string clientId, string? subject, string sid, SigningCredentials signing)
    {
        var now = clock.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            ["sid"] = sid,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["events"] = new Dictionary<string, object> { [BackChannelEvent] = new Dictionary<string, object>() },
        };
        if (subject is not null)
        {
            claims["sub"] = subject;
        }
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = clientId,
            IssuedAt = now.UtcDateTime,
            Expires = now.AddMinutes(2).UtcDateTime,
            NotBefore = now.UtcDateTime,
            Claims = claims,
            SigningCredentials = signing,
            TokenType = "logout+jwt",
        });
    }
}

/// <summary>Delivers queued back-channel logouts, each bounded by <see cref="OidcOptions.BackChannelLogoutTimeoutSeconds"/>;
/// an app that does not answer is given up on (its tokens are revoked anyway).</summary>
internal sealed class OidcLogoutSender(Channel<OidcLogoutNotice> outbox, IHttpClientFactory clients, IOptions<OidcOptions> options,
    ILogger<OidcLogoutSender> log) : BackgroundService
{
    public const string Client = "oidc-logout";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var notice in outbox.Reader.ReadAllAsync(stoppingToken))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.BackChannelLogoutTimeoutSeconds));
            try
            {
                using var response = await clients.CreateClient(Client).PostAsync(notice.LogoutUri,
                    new FormUrlEncodedContent([new("logout_token", notice.LogoutToken)]), timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    log.LogInformation("Back-channel logout to {Uri} answered {Status}", notice.LogoutUri, (int)response.StatusCode);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                log.LogInformation("Back-channel logout to {Uri} failed: {Error}", notice.LogoutUri, ex.Message);
            }
        }
    }
}
