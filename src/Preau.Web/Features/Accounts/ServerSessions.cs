using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Accounts;
using Preau.Web.Features.Apps;

namespace Preau.Web.Features.Accounts;

internal sealed record SessionView(string Id, string Label, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, bool IsThisSession);

/// <summary>
/// Sessions kept in the database (the cookie carries only a key): every node sees a sign-out or a
/// revocation on the next request, because each request reads its row (one primary-key read) and
/// nothing is cached. A copied cookie dies with its row.
/// </summary>
internal sealed class ServerSessionStore(TimeProvider clock) : ITicketStore
{
    private const string CurrentKey = "preau.session";
    private static readonly TimeSpan s_lastSeenStep = TimeSpan.FromMinutes(1);

    /// <summary>The key of the session this request came with, if any.</summary>
    public static string? Current(HttpContext http) => http.Items[CurrentKey] as string;

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        // A context of its own: SaveChanges must not write what the request's context tracks.
        await using var scope = httpContext.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var now = clock.GetUtcNow();
        var session = new ServerSession
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            PersonId = ticket.Principal.GetPersonId(),
            Ticket = TicketSerializer.Default.Serialize(ticket),
            Label = DeviceLabels.FromUserAgent(httpContext.Request.Headers.UserAgent.ToString()),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = ticket.Properties.ExpiresUtc ?? now.AddDays(14),
        };
        db.ServerSessions.Add(session);
        // The account's last sign-in is written with the session row: one commit (one fsync) per sign-in instead
        // of two: a sixth of a sign-in's own CPU, measured alone (BENCHMARKS.md §26). The stamp the session
        // carries is the account's concurrency token: if the password changed meanwhile, the session row is
        // still stored (its stale stamp ends it at the next check) and the account is left as it is.
        var account = ticket.Principal.FindFirst(PreauClaims.SecurityStamp)?.Value is { } stamp
            ? db.Accounts.Attach(new Account { PersonId = session.PersonId, Login = "", SecurityStamp = stamp })
            : null;
        if (account is not null)
        {
            account.Entity.LastSignInAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException) when (account is not null)
        {
            account.State = EntityState.Detached;
            await db.SaveChangesAsync(cancellationToken);
        }

        httpContext.Items[CurrentKey] = session.Id;
        return session.Id;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var db = httpContext.RequestServices.GetRequiredService<PreauDbContext>();
        var bytes = TicketSerializer.Default.Serialize(ticket);
        var now = clock.GetUtcNow();
        var expires = ticket.Properties.ExpiresUtc ?? now.AddDays(14);
        // Signing in again on a signed-in browser renews its key, possibly for another person.
        var personId = ticket.Principal.GetPersonId();
        // A revoked session has no row: renewing it brings nothing back.
        await db.ServerSessions.Where(s => s.Id == key).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.PersonId, personId).SetProperty(s => s.Ticket, bytes).SetProperty(s => s.ExpiresAt, expires).SetProperty(s => s.LastSeenAt, now), cancellationToken);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var db = httpContext.RequestServices.GetRequiredService<PreauDbContext>();
        var row = await db.ServerSessions.AsNoTracking().Where(s => s.Id == key)
            .Select(s => new { s.Ticket, s.LastSeenAt }).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (now - row.LastSeenAt >= s_lastSeenStep)
        {
            await db.ServerSessions.Where(s => s.Id == key).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), cancellationToken);
        }

        httpContext.Items[CurrentKey] = key;
        return TicketSerializer.Default.Deserialize(row.Ticket);
    }

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var db = httpContext.RequestServices.GetRequiredService<PreauDbContext>();
        await db.ServerSessions.Where(s => s.Id == key).ExecuteDeleteAsync(cancellationToken);
        await httpContext.RequestServices.GetRequiredService<AppLogouts>().SessionsEndedAsync([key], cancellationToken);
    }

    // The cookie handler always calls the overloads above, which carry the request.
    public Task<string> StoreAsync(AuthenticationTicket ticket) => throw new NotSupportedException();

    public Task RenewAsync(string key, AuthenticationTicket ticket) => throw new NotSupportedException();

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => throw new NotSupportedException();

    public Task RemoveAsync(string key) => throw new NotSupportedException();
}

/// <summary>A person's own sessions: listed, closed one by one or all at once (person id in every WHERE).</summary>
internal sealed class ServerSessions(PreauDbContext db, AppLogouts apps, TimeProvider clock)
{
    /// <summary>The person's sessions still open (an expired one cannot be used: it is not listed, and
    /// <see cref="AccountsHousekeeping"/> deletes it).</summary>
    public async Task<IReadOnlyList<SessionView>> ListAsync(HttpContext http, Guid personId, CancellationToken ct)
    {
        var current = ServerSessionStore.Current(http);
        var now = clock.GetUtcNow();
        var rows = await db.ServerSessions.AsNoTracking().Where(s => s.PersonId == personId && s.ExpiresAt > now)
            .Select(s => new { s.Id, s.Label, s.CreatedAt, s.LastSeenAt }).ToListAsync(ct);
        return [.. rows.OrderByDescending(r => r.Id == current).ThenByDescending(r => r.LastSeenAt)
            .Select(r => new SessionView(r.Id, r.Label, r.CreatedAt, r.LastSeenAt, r.Id == current))];
    }

    public async Task<bool> CloseAsync(Guid personId, string sessionId, CancellationToken ct)
    {
        if (await db.ServerSessions.Where(s => s.Id == sessionId && s.PersonId == personId).ExecuteDeleteAsync(ct) == 0)
        {
            return false;
        }
        await apps.SessionsEndedAsync([sessionId], ct);
        return true;
    }

    /// <summary>Every session of the person ends now (sign out everywhere, password changed), and the
    /// connected apps those sessions signed into are told. <paramref name="keep"/> is spared.</summary>
    public async Task<int> CloseAllAsync(Guid personId, string? keep, CancellationToken ct)
    {
        var ids = await db.ServerSessions.Where(s => s.PersonId == personId && s.Id != keep).Select(s => s.Id).ToListAsync(ct);
        var closed = await db.ServerSessions.Where(s => s.PersonId == personId && s.Id != keep).ExecuteDeleteAsync(ct);
        await apps.SessionsEndedAsync(ids, ct);
        return closed;
    }
}
