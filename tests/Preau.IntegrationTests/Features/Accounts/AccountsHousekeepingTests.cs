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
    private static readonly Dictionary<string, string?> s_noLoop = new() { ["Accounts:HousekeepingMinutes"] = "0" };

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
    public async Task Loop_EveryInterval_DeletesExpiredSessionsOnItsOwn()
    {
        await using var db = TestDatabase.Create("Sqlite");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new PreauAppFactory(db, new Dictionary<string, string?> { ["Accounts:HousekeepingMinutes"] = "15" });
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(clock)));
        var schools = await TestSchools.SeedAsync(app.Services);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var d = scope.ServiceProvider.GetRequiredService<Preau.Data.PreauDbContext>();
            d.ServerSessions.Add(new ServerSession
            {
                Id = "expire" + new string('1', 58), PersonId = schools.People["pupil.a1"], Ticket = [1], Label = "Ancienne tablette",
                CreatedAt = clock.GetUtcNow().AddDays(-20), LastSeenAt = clock.GetUtcNow().AddDays(-15), ExpiresAt = clock.GetUtcNow().AddMinutes(20),
            });
            await d.SaveChangesAsync();
        }

        async Task<int> SessionsAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Preau.Data.PreauDbContext>().ServerSessions.CountAsync();
        }

        // Not expired at the first pass, expired at the second: only the timer runs the passes.
        clock.Advance(TimeSpan.FromMinutes(15));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await SessionsAsync());
        clock.Advance(TimeSpan.FromMinutes(15));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await SessionsAsync() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, await SessionsAsync());
    }
}
