using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Preau.Data.Directory;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Seed;

namespace Preau.IntegrationTests.Features.Seed;

public sealed partial class SeedCommandTests
{
    [GeneratedRegex("^[a-z0-9-]+\\.[a-z0-9-]+$")]
    private static partial Regex LoginPattern();

    [Theory]
    [InlineData("Sqlite", true)]
    [InlineData("Postgres", true)]
    [InlineData("Postgres", false)] // EF Core batches instead of COPY: both paths must give the same directory
    public async Task Seed_SmallRegionWithActivationCodes_CreatesConsistentDirectoryAndCsv(string provider, bool postgresCopy)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Seed:PostgresCopy"] = postgresCopy.ToString() });
        var csvPath = Path.Combine(db.DataDirectory, "comptes.csv");

        var (code, output, error) = await SeedRun.RunAsync(app, "--schools", "2", "--students-per-school", "60",
            "--accounts-out", csvPath, "--activation-codes", "--activation-days", "10");

        Assert.True(code == 0, error);
        Assert.Contains("Terminé", output, StringComparison.Ordinal);
        var started = DateTimeOffset.UtcNow;
        await SeedRun.QueryAsync(app, async context =>
        {
            var region = await context.Regions.SingleAsync();
            Assert.Equal(2, await context.Schools.CountAsync(s => s.RegionId == region.Id));
            var people = await context.People.AsNoTracking().ToListAsync();
            var pupils = people.Where(p => p.Profile == Profile.Pupil).ToList();
            Assert.Equal(120, pupils.Count);
            Assert.Single(people, p => p.Profile == Profile.RegionAdmin);
            Assert.All(people.Where(p => p.Profile == Profile.Parent), p => Assert.Null(p.SchoolId));

            var groups = await context.Groups.AsNoTracking().ToDictionaryAsync(g => g.Id);
            var memberships = await context.GroupMemberships.AsNoTracking().ToListAsync();
            var guardians = await context.GuardianLinks.AsNoTracking().ToListAsync();
            foreach (var pupil in pupils)
            {
                var classes = memberships.Where(m => m.PupilId == pupil.Id && groups[m.GroupId].Kind == GroupKind.Class).ToList();
                var onlyClass = Assert.Single(classes);
                Assert.Equal(pupil.SchoolId, groups[onlyClass.GroupId].SchoolId);
                Assert.InRange(guardians.Count(g => g.ChildId == pupil.Id), 1, 2);
            }

            // Families: some parents have two children or more.
            Assert.Contains(guardians.GroupBy(g => g.ParentId), g => g.Count() >= 2);

            var subjects = await context.Subjects.AsNoTracking().ToDictionaryAsync(s => s.Id);
            var assignments = await context.TeachingAssignments.AsNoTracking().ToListAsync();
            var classSubjects = RegionGenerator.ClassSubjects.Select(s => s.Code).ToHashSet();
            foreach (var group in groups.Values.Where(g => g.Kind == GroupKind.Class))
            {
                var taught = assignments.Where(a => a.GroupId == group.Id).Select(a => subjects[a.SubjectId].Code).ToHashSet();
                Assert.True(taught.SetEquals(classSubjects), $"{group.Name} : {string.Join(", ", taught)}");
                Assert.InRange(memberships.Count(m => m.GroupId == group.Id), 1, 29);
                Assert.Matches("^[3-6]e[0-9]+$", group.Name);
            }

            Assert.Contains(groups.Values, g => g.Kind == GroupKind.Group && g.Name.StartsWith("Latin", StringComparison.Ordinal));
            Assert.All(groups.Values.Where(g => g.Kind == GroupKind.Group),
                g => Assert.Contains(assignments, a => a.GroupId == g.Id && subjects[a.SubjectId].Code == "LATIN"));

            var accounts = await context.Accounts.AsNoTracking().ToListAsync();
            Assert.Equal(people.Count, accounts.Count);
            Assert.Equal(accounts.Count, accounts.Select(a => a.Login).Distinct().Count());
            Assert.All(accounts, a => Assert.Matches(LoginPattern(), a.Login.TrimEnd("0123456789".ToCharArray())));
            Assert.All(accounts, a => Assert.Null(a.PasswordHash));
            Assert.All(accounts, a => Assert.InRange(a.ActivationExpiresAt!.Value, started.AddDays(10).AddMinutes(-5), started.AddDays(10)));

            var (header, lines) = SeedRun.ReadCsv(csvPath);
            Assert.Equal(["login", "password", "profile", "school", "class"], header);
            Assert.Equal(accounts.Count, lines.Count);
            var byLogin = accounts.ToDictionary(a => a.Login);
            Assert.All(lines, l => Assert.Equal(byLogin[l.Login].ActivationCodeHash, ActivationCodes.Hash(l.Secret)));

            // A parent's line shows the school and class of one of their children.
            var personByLogin = accounts.ToDictionary(a => a.Login, a => people.Single(p => p.Id == a.PersonId));
            var uaiBySchool = await context.Schools.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Uai);
            foreach (var line in lines.Where(l => l.Profile == "parent"))
            {
                var parent = personByLogin[line.Login];
                var children = guardians.Where(g => g.ParentId == parent.Id).Select(g => g.ChildId).ToList();
                var childClasses = memberships.Where(m => children.Contains(m.PupilId) && groups[m.GroupId].Kind == GroupKind.Class)
                    .Select(m => (uaiBySchool[groups[m.GroupId].SchoolId], groups[m.GroupId].Name)).ToList();
                Assert.Contains((line.School, line.Class), childClasses);
            }

            foreach (var line in lines.Where(l => l.Profile == "eleve"))
            {
                var pupil = personByLogin[line.Login];
                var group = groups[memberships.Single(m => m.PupilId == pupil.Id && groups[m.GroupId].Kind == GroupKind.Class).GroupId];
                Assert.Equal(group.Name, line.Class);
                Assert.Equal(uaiBySchool[group.SchoolId], line.School);
            }

            return true;
        });
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Seed_PasswordMode_CsvPasswordsVerifyAndSignIn(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var csvPath = Path.Combine(db.DataDirectory, "comptes.csv");

        var (code, output, error) = await SeedRun.RunAsync(app, "--schools", "1", "--students-per-school", "8", "--accounts-out", csvPath);

        Assert.True(code == 0, error);
        Assert.Contains("comptes/s", output, StringComparison.Ordinal);
        var (_, lines) = SeedRun.ReadCsv(csvPath);
        var accounts = await SeedRun.QueryAsync(app, c => c.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Login));
        Assert.Equal(accounts.Count, lines.Count);
        Assert.All(lines, l => Assert.Equal(PasswordCheck.Success, PasswordHasher.Verify(accounts[l.Login].PasswordHash, l.Secret)));
        Assert.All(accounts.Values, a => Assert.Null(a.ActivationCodeHash));

        using var client = app.CreateClient();
        var pupil = lines.First(l => l.Profile == "eleve");
        var response = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { login = pupil.Login, password = pupil.Secret });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Seed_SameArgumentsOnTwoDatabases_SamePeopleAndLogins(string provider)
    {
        string[] Args(TestDatabase d) => ["--schools", "2", "--students-per-school", "40", "--seed", "7", "--activation-codes",
            "--accounts-out", Path.Combine(d.DataDirectory, "comptes.csv")];
        await using var first = TestDatabase.Create(provider);
        await using var second = TestDatabase.Create(provider);
        await using var firstApp = new PreauAppFactory(first);
        await using var secondApp = new PreauAppFactory(second);

        Assert.Equal(0, (await SeedRun.RunAsync(firstApp, Args(first))).Code);
        Assert.Equal(0, (await SeedRun.RunAsync(secondApp, Args(second))).Code);

        var firstLines = SeedRun.ReadCsv(Path.Combine(first.DataDirectory, "comptes.csv")).Lines;
        var secondLines = SeedRun.ReadCsv(Path.Combine(second.DataDirectory, "comptes.csv")).Lines;
        Assert.Equal(firstLines.Select(l => l with { Secret = "" }), secondLines.Select(l => l with { Secret = "" }));
        Assert.NotEqual(firstLines.Select(l => l.Secret), secondLines.Select(l => l.Secret)); // secrets are random on purpose

        static Task<List<string>> Names(PreauAppFactory app) => SeedRun.QueryAsync(app, c => c.People
            .OrderBy(p => p.LastName).ThenBy(p => p.FirstName).ThenBy(p => p.Profile)
            .Select(p => p.FirstName + " " + p.LastName + " " + p.Profile).ToListAsync());
        Assert.Equal(await Names(firstApp), await Names(secondApp));
    }

    [Theory]
    [InlineData("--schools -3", "--schools")]
    [InlineData("--schools 0", "--schools")]
    [InlineData("--students-per-school beaucoup", "--students-per-school")]
    [InlineData("--colleges 3", "inconnue")]
    [InlineData("--activation-codes --activation-days 0", "--activation-days")]
    [InlineData("--activation-days 12", "--activation-codes")]
    [InlineData("--schools", "attend une valeur")]
    [InlineData("--schools 1 --schools 2", "deux fois")]
    public async Task Seed_BadArguments_FrenchErrorNonZeroAndNothingWritten(string arguments, string expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var csvPath = Path.Combine(db.DataDirectory, "comptes.csv");

        var (code, output, error) = await SeedRun.RunAsync(app, [.. arguments.Split(' '), "--accounts-out", csvPath]);

        Assert.Equal(SeedCommand.BadArguments, code);
        Assert.StartsWith("Erreur : ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error + output, StringComparison.Ordinal); // no stack trace
        Assert.False(File.Exists(csvPath));
        Assert.Equal(0, await SeedRun.QueryAsync(app, c => c.People.CountAsync()));
    }

    [Fact]
    public async Task Seed_MissingAccountsOut_RefusedInFrench()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);

        var (code, _, error) = await SeedRun.RunAsync(app, "--schools", "1");

        Assert.Equal(SeedCommand.BadArguments, code);
        Assert.Contains("--accounts-out est obligatoire", error, StringComparison.Ordinal);
        Assert.Equal(0, await SeedRun.QueryAsync(app, c => c.Regions.CountAsync()));
    }

    [Fact]
    public async Task Seed_UnwritableCsvPath_RefusedAndNothingWritten()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);

        var missingFolder = await SeedRun.RunAsync(app, "--accounts-out", Path.Combine(db.DataDirectory, "absent", "comptes.csv"));
        var folder = await SeedRun.RunAsync(app, "--accounts-out", db.DataDirectory);

        Assert.Equal(SeedCommand.BadArguments, missingFolder.Code);
        Assert.Contains("n'existe pas", missingFolder.Error, StringComparison.Ordinal);
        Assert.Equal(SeedCommand.BadArguments, folder.Code);
        Assert.Contains("est un dossier", folder.Error, StringComparison.Ordinal);
        Assert.Equal(0, await SeedRun.QueryAsync(app, c => c.Regions.CountAsync()));
    }

    [Fact]
    public async Task Seed_ExistingCsv_RefusedWithoutForceReplacedWithForce()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var csvPath = Path.Combine(db.DataDirectory, "comptes.csv");
        await File.WriteAllTextAsync(csvPath, "ancienne feuille");

        var refused = await SeedRun.RunAsync(app, "--students-per-school", "4", "--activation-codes", "--accounts-out", csvPath);

        Assert.Equal(SeedCommand.BadArguments, refused.Code);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal("ancienne feuille", await File.ReadAllTextAsync(csvPath));
        Assert.Equal(0, await SeedRun.QueryAsync(app, c => c.Regions.CountAsync()));

        var forced = await SeedRun.RunAsync(app, "--students-per-school", "4", "--activation-codes", "--accounts-out", csvPath, "--force");

        Assert.Equal(0, forced.Code);
        // For a French spreadsheet: UTF-8 with its byte order mark, ';' between columns.
        Assert.Equal([0xEF, 0xBB, 0xBF], (await File.ReadAllBytesAsync(csvPath))[..3]);
        Assert.StartsWith("login;password;profile;school;class", await File.ReadAllTextAsync(csvPath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Seed_SameSeedTwice_SecondRefusedOtherSeedAddsRegion(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        string Csv(string name) => Path.Combine(db.DataDirectory, name);
        Assert.Equal(0, (await SeedRun.RunAsync(app, "--students-per-school", "30", "--activation-codes", "--accounts-out", Csv("a.csv"))).Code);
        var peopleBefore = await SeedRun.QueryAsync(app, c => c.People.CountAsync());

        var again = await SeedRun.RunAsync(app, "--students-per-school", "30", "--activation-codes", "--accounts-out", Csv("b.csv"));
        var other = await SeedRun.RunAsync(app, "--students-per-school", "30", "--activation-codes", "--accounts-out", Csv("c.csv"), "--seed", "99");

        Assert.Equal(SeedCommand.Failed, again.Code);
        Assert.Contains("existe déjà", again.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Csv("b.csv")));
        Assert.Equal(0, other.Code);
        Assert.Equal(2, await SeedRun.QueryAsync(app, c => c.Regions.CountAsync()));
        var (_, otherLines) = SeedRun.ReadCsv(Csv("c.csv"));
        Assert.Equal(peopleBefore + otherLines.Count, await SeedRun.QueryAsync(app, c => c.People.CountAsync()));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Seed_DatabaseFailsOnLastTable_RollsBackEverythingAndNoCsv(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var csvPath = Path.Combine(db.DataDirectory, "comptes.csv");
        // A real failure at the very end of the write: guardian links are the last rows inserted.
        await SeedRun.QueryAsync(app, c => provider == "Sqlite"
            ? c.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER refuse_guardians BEFORE INSERT ON "GuardianLinks" BEGIN SELECT RAISE(ABORT, 'panne simulée'); END;
                """)
            : c.Database.ExecuteSqlRawAsync("""
                CREATE FUNCTION refuse_guardians() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'panne simulée'; END $$;
                CREATE TRIGGER refuse_guardians BEFORE INSERT ON "GuardianLinks" FOR EACH ROW EXECUTE FUNCTION refuse_guardians();
                """));

        var (code, _, error) = await SeedRun.RunAsync(app, "--students-per-school", "30", "--activation-codes", "--accounts-out", csvPath);

        Assert.Equal(SeedCommand.Failed, code);
        Assert.Contains("rien n'a été enregistré", error, StringComparison.Ordinal);
        Assert.Contains("panne simulée", error, StringComparison.Ordinal);
        Assert.False(File.Exists(csvPath));
        Assert.Empty(Directory.GetFiles(db.DataDirectory, "comptes.csv*"));
        Assert.Equal(0, await SeedRun.QueryAsync(app, c => c.Regions.CountAsync()));
        Assert.Equal(0, await SeedRun.QueryAsync(app, c => c.People.CountAsync()));
        Assert.Equal(0, await SeedRun.QueryAsync(app, c => c.Accounts.CountAsync()));
    }
}
