using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Preau.Data.Directory;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Seed;

namespace Preau.IntegrationTests.Features.Seed;

public sealed class DemoSchoolTests
{
    private static readonly Dictionary<string, string?> DemoOn = new() { ["Demo:Enabled"] = "true" };

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task FirstStart_EmptyDatabase_SeedsSchoolAndEachPrintedLoginSignsIn(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db, DemoOn);
        using var client = app.CreateClient();

        var logins = DemoSchool.ReadLogins(db.DataDirectory);

        Assert.Equal(["Élève", "Parent", "Enseignant", "Personnel", "Direction", "Administrateur régional"], logins.Select(l => l.Profile));
        var profiles = new List<string?>();
        foreach (var login in logins)
        {
            using var signedIn = app.CreateClient();
            var response = await signedIn.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { login = login.Login, password = login.Password });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            profiles.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("profile").GetString());
        }

        Assert.Equal(["Pupil", "Parent", "Teacher", "Staff", "SchoolAdmin", "RegionAdmin"], profiles);
        await SeedRun.QueryAsync(app, async c =>
        {
            Assert.Equal(DemoSchool.RegionCode, (await c.Regions.SingleAsync()).Code);
            Assert.Equal(1, await c.Schools.CountAsync());
            Assert.Equal(100, await c.People.CountAsync(p => p.Profile == Profile.Pupil));
            // Only the six demo accounts are hashed with Argon2id; the others wait for activation.
            Assert.Equal(6, await c.Accounts.CountAsync(a => a.PasswordHash != null));
            Assert.Equal(0, await c.Accounts.CountAsync(a => a.PasswordHash == null && a.ActivationCodeHash == null));
            return true;
        });
    }

    [Fact]
    public async Task FirstStart_TestingEnvironmentWithoutSetting_SeedsNothing()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        Assert.Equal(0, await SeedRun.QueryAsync(app, c => c.Regions.CountAsync()));
        Assert.Empty(DemoSchool.ReadLogins(db.DataDirectory));
    }

    [Fact]
    public async Task NextStart_PasswordChanged_LoginNoLongerPrintedAndNoSecondSchool()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, DemoOn);
        using var client = app.CreateClient();
        var pupil = DemoSchool.ReadLogins(db.DataDirectory)[0];
        await SeedRun.QueryAsync(app, c => c.Accounts.Where(a => a.Login == pupil.Login)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.PasswordHash, PasswordHasher.Hash("un-autre-mot-de-passe"))));
        using var output = new StringWriter();

        await DemoSchool.EnsureAsync(app.Services, db.DataDirectory, output, NullLogger.Instance, CancellationToken.None);

        var printed = output.ToString();
        Assert.DoesNotContain(pupil.Login, printed, StringComparison.Ordinal);
        Assert.Contains(DemoSchool.ReadLogins(db.DataDirectory)[1].Login, printed, StringComparison.Ordinal);
        Assert.Equal(1, await SeedRun.QueryAsync(app, c => c.Regions.CountAsync()));
    }

    [Fact]
    public async Task FirstStart_EmptyDatabase_SchoolComesThroughTheImportsWithItsWeek()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, DemoOn);
        using var client = app.CreateClient();
        var logins = DemoSchool.ReadLogins(db.DataDirectory);

        await SeedRun.QueryAsync(app, async c =>
        {
            var school = await c.Schools.SingleAsync();
            Assert.Equal(Preau.Web.Features.Import.DemoImport.Uai, school.Uai);
            // The SIECLE import keeps its national identifiers: the directory came through it.
            Assert.True(await c.ImportedPeople.CountAsync() >= 100);
            Assert.True(await c.TimetableLessons.CountAsync(l => l.Group!.Kind == GroupKind.Class) >= 4 * 20);
            Assert.True(await c.TimetableLessons.AnyAsync(l => l.Group!.Kind == GroupKind.Group));
            Assert.True(await c.HomeworkEntries.AnyAsync());
            var parent = logins.Single(l => l.Profile == "Parent").Login;
            var classes = await c.Accounts.Where(a => a.Login == parent)
                .SelectMany(a => c.GuardianLinks.Where(g => g.ParentId == a.PersonId))
                .SelectMany(g => c.GroupMemberships.Where(m => m.PupilId == g.ChildId && m.Group!.Kind == GroupKind.Class).Select(m => m.GroupId))
                .Distinct().CountAsync();
            Assert.Equal(2, classes);
            return true;
        });
    }
}
