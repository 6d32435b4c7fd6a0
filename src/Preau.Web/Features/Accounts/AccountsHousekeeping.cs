using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preau.Data;
using Preau.Web.Features.Apps;

namespace Preau.Web.Features.Accounts;

/// <summary>What one pass of <see cref="AccountsHousekeeping"/> deleted.</summary>
internal sealed record HousekeepingResult(int Sessions, int Devices, int AppSignIns);

/// <summary>
/// Every <see cref="AccountsOptions.HousekeepingSeconds"/> of real time, on every node (the deletes are idempotent):
/// sessions past their end, which a browser that never came back would otherwise leave in the database for ever
/// (with the device name the person read on their account page), and the connected apps those sessions signed into
/// are told, as for a sign-out; remembered devices older than every region allows or forgotten by a password change
/// (both refused at use already); the record of an app sign-in whose session is gone (its person deleted). A batch
/// at a time, so a region's first pass after months never holds the tables for long.
/// </summary>
internal sealed partial class AccountsHousekeeping(
    IServiceScopeFactory scopes, IOptions<AccountsOptions> options, TimeProvider clock, ILogger<AccountsHousekeeping> log) : BackgroundService
{
    /// <summary>Rows deleted per statement.</summary>
    public const int Batch = 500;

    /// <summary>Most session batches in one pass (the rest goes at the next one).</summary>
    private const int MaxBatches = 40;

    /// <summary>An app sign-in younger than this is left alone even without its session (being written).</summary>
    private static readonly TimeSpan s_orphanAge = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.HousekeepingSeconds <= 0)
        {
            return;
        }

        // Wall clock on purpose: a test that moves the calendar a month ahead must not run a pass per quarter
        // hour of it; what has expired is still judged by the calendar (clock).
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HousekeepingSeconds), TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var done = await RunOnceAsync(stoppingToken);
                if (done.Sessions + done.Devices + done.AppSignIns > 0)
                {
                    LogDeleted(done.Sessions, done.Devices, done.AppSignIns);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database out of reach: the next pass tries again, nothing is lost by waiting.
                LogFailed(ex);
            }
        }
    }

    public async Task<HousekeepingResult> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var sessions = 0;
        for (var round = 0; round < MaxBatches; round++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
            var ids = await db.ServerSessions.AsNoTracking().Where(s => s.ExpiresAt < now).OrderBy(s => s.ExpiresAt)
                .Select(s => s.Id).Take(Batch).ToListAsync(ct);
            if (ids.Count == 0)
            {
                break;
            }

            // Still expired when deleted: a session renewed meanwhile on another node stays.
            sessions += await db.ServerSessions.Where(s => ids.Contains(s.Id) && s.ExpiresAt < now).ExecuteDeleteAsync(ct);
            await scope.ServiceProvider.GetRequiredService<AppLogouts>().SessionsEndedAsync(ids, ct);
            if (ids.Count < Batch)
            {
                break;
            }
        }

        await using var last = scopes.CreateAsyncScope();
        var data = last.ServiceProvider.GetRequiredService<PreauDbContext>();
        var o = options.Value;
        var longest = o.RememberedDeviceDaysByRegion.Values.Append(o.RememberedDeviceDays).Max();
        var devicesBefore = now - TimeSpan.FromDays(Math.Max(0, longest));
        var devices = await data.RememberedDevices.Where(d => d.CreatedAt < devicesBefore).ExecuteDeleteAsync(ct);
        // Forgotten by a password change or reset (the account's stamp moved on): refused at use already.
        devices += await data.RememberedDevices
            .Where(d => !data.Accounts.Any(a => a.PersonId == d.PersonId && a.SecurityStamp == d.SecurityStamp))
            .ExecuteDeleteAsync(ct);
        var orphansBefore = now - s_orphanAge;
        var orphans = await data.AppSignIns
            .Where(a => a.CreatedAt < orphansBefore && !data.ServerSessions.Any(s => s.Id == a.SessionId))
            .ExecuteDeleteAsync(ct);
        return new HousekeepingResult(sessions, devices, orphans);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Housekeeping: {Sessions} expired sessions, {Devices} remembered devices past their age or password, {AppSignIns} app sign-ins without a session deleted")]
    private partial void LogDeleted(int sessions, int devices, int appSignIns);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Housekeeping failed; the next pass tries again")]
    private partial void LogFailed(Exception exception);
}
