namespace Preau.Web.Features.Apps;

/// <summary>One protocol's way of telling connected apps that Préau sessions ended (CAS single logout,
/// OpenID Connect back-channel logout). Must not throw for an app that does not answer.</summary>
internal interface IAppLogout
{
    Task SessionsEndedAsync(IReadOnlyList<string> sessionIds, CancellationToken ct);
}

/// <summary>
/// Called wherever Préau sessions end (sign-out, a session closed from the account page, "sign out
/// everywhere", a password change), after their rows are deleted: each protocol ends the app sessions
/// those sessions opened. An app that fails to answer never stops the sign-out.
/// </summary>
internal sealed class AppLogouts(IEnumerable<IAppLogout> protocols, ILogger<AppLogouts> log)
{
    public async Task SessionsEndedAsync(IReadOnlyList<string> sessionIds, CancellationToken ct)
    {
        if (sessionIds.Count == 0)
        {
            return;
        }
        foreach (var protocol in protocols)
        {
            try
            {
                await protocol.SessionsEndedAsync(sessionIds, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Single logout through {Protocol} failed for {Count} sessions", protocol.GetType().Name, sessionIds.Count);
            }
        }
    }
}
