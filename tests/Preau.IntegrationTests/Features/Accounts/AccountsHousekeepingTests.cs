using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Preau.Data.Accounts;
using Preau.Data.Apps;
using Preau.IntegrationTests.Features.Apps.Cas;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts;

namespace Preau.IntegrationTests.Features.Accounts;

/// <summary>
/// What expires is deleted: a browser that never comes back must not leave its session (and the device name the
/// person reads on their account page) in the database for ever, nor a remembered device its credential.
/// </summary>
public sealed class AccountsHousekeepingTests
{
    private static readonly Dictionary<string, string?> s_noLoop = new() { ["Accounts:HousekeepingSeconds"] = "0" };

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task RunOnce_ExpiredSessionWithAnAppSignIn_DeletedAndUnlistedLiveSessionKept(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db, s_noLoop);
        var schools = await TestSchools.SeedAsync(app.Services);
        var pupil = schools.People["pupil.a1"];
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await TestSchools.LoginAsync(browser, "pupil.a1");
        var appId = await CasTestApps.DeclareAsync(app.Services, schools, "https://manuels.example/", logoutUri: "http://127.0.0.1:9/cas");
        var now = DateTimeOffset.UtcNow;
        await app.WithDbAsync(async d =>
        {
            d.ServerSessions.Add(new ServerSession
            {
                Id = "expire" + new string('0', 58), PersonId = pupil, Ticket = [1, 2, 3], Label = "Ancienne tablette",
                CreatedAt = now.AddDays(-30), LastSeenAt = now.AddDays(-16), ExpiresAt = now.AddDays(-2),
            });
            d.AppSignIns.Add(new AppSignIn { AppId = appId, PersonId = pupil, SessionId = "expire" + new string('0', 58), Reference = "ST-old", CreatedAt = now });
            // an app sign-in whose session is gone (its person deleted), a day old, and one being written now
            d.AppSignIns.Add(new AppSignIn { AppId = appId, PersonId = pupil, SessionId = "gone", Reference = "ST-orphan", CreatedAt = now.AddDays(-2) });
            d.AppSignIns.Add(new AppSignIn { AppId = appId, PersonId = pupil, SessionId = "new", Reference = "ST-new", CreatedAt = now });
            return await d.SaveChangesAsync();
        });

        var page = await browser.GetStringAsync(new Uri("/compte", UriKind.Relative));
        Assert.Contains("(cette session)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Ancienne tablette", page, StringComparison.Ordinal);

        var done = await app.Services.GetRequiredService<AccountsHousekeeping>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(new HousekeepingResult(1, 0, 1), done);
        Assert.Equal(1, await app.WithDbAsync(d => d.ServerSessions.CountAsync(s => s.PersonId == pupil)));
        Assert.Equal(["ST-new"], await app.WithDbAsync(d => d.AppSignIns.Select(a => a.Reference).ToListAsync()));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);
        Assert.Equal(new HousekeepingResult(0, 0, 0), await app.Services.GetRequiredService<AccountsHousekeeping>().RunOnceAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task RunOnce_DevicesPastEveryRegionsAgeOrForgottenByAPasswordChange_DeletedOthersKept(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>(s_noLoop)
        {
            ["Accounts:RememberedDeviceDays"] = "30",
            ["Accounts:RememberedDeviceDaysByRegion:AUTRE"] = "90",
        });
        var schools = await TestSchools.SeedAsync(app.Services);
        var pupil = schools.People["pupil.a1"];
        var stamp = await app.WithDbAsync(d => d.Accounts.Where(a => a.PersonId == pupil).Select(a => a.SecurityStamp).SingleAsync());
        var now = DateTimeOffset.UtcNow;
        RememberedDevice Device(string label, int daysOld, string deviceStamp) => new()
        {
            PersonId = pupil, SecretHash = new string('a', 64), SecurityStamp = deviceStamp, Label = label,
            CreatedAt = now.AddDays(-daysOld), LastUsedAt = now.AddDays(-daysOld),
        };
        await app.WithDbAsync(async d =>
        {
            d.RememberedDevices.Add(Device("téléphone", 1, stamp));
            // past this region's 30 days but within another region's 90: refused at use, deleted later
            d.RememberedDevices.Add(Device("tablette", 60, stamp));
            d.RememberedDevices.Add(Device("vieux portable", 91, stamp));
            d.RememberedDevices.Add(Device("avant le nouveau mot de passe", 1, "ancien-tampon"));
            return await d.SaveChangesAsync();
        });

        var done = await app.Services.GetRequiredService<AccountsHousekeeping>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(new HousekeepingResult(0, 2, 0), done);
        Assert.Equal(["tablette", "téléphone"], await app.WithDbAsync(d => d.RememberedDevices.OrderBy(x => x.Label).Select(x => x.Label).ToListAsync()));
    }

    [Fact]
    public async Task Loop_EveryInterval_DeletesWhatTheCalendarSaysExpiredOnItsOwn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        // a calendar a month ahead of the wall clock: expiry is judged by the calendar, passes follow the wall clock
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(30));
        await using var factory = new PreauAppFactory(db, new Dictionary<string, string?> { ["Accounts:HousekeepingSeconds"] = "1" });
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(clock)));
        var schools = await TestSchools.SeedAsync(app.Services);
        var now = clock.GetUtcNow();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var d = scope.ServiceProvider.GetRequiredService<Preau.Data.PreauDbContext>();
            foreach (var (id, expires) in new[] { ("expired", now.AddDays(-1)), ("open", now.AddDays(1)) })
            {
                d.ServerSessions.Add(new ServerSession
                {
                    Id = id, PersonId = schools.People["pupil.a1"], Ticket = [1], Label = "Tablette",
                    CreatedAt = now.AddDays(-20), LastSeenAt = now.AddDays(-15), ExpiresAt = expires,
                });
            }
            await d.SaveChangesAsync();
        }

        async Task<List<string>> SessionsAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Preau.Data.PreauDbContext>().ServerSessions
                .Where(s => s.Id == "expired" || s.Id == "open").Select(s => s.Id).ToListAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await SessionsAsync()).Count > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(["open"], await SessionsAsync());
    }
}
