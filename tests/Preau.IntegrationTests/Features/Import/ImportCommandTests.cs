using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Preau.Data.Directory;
using Preau.IntegrationTests.Features.Seed;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Import.ImportRun;

namespace Preau.IntegrationTests.Features.Import;

public sealed class ImportCommandTests
{
    private static async Task<List<string>> NamesAsync(PreauAppFactory app, Profile profile) =>
        await app.WithDbAsync(db => db.People.Where(p => p.Profile == profile).Select(p => p.LastName + " " + p.FirstName).OrderBy(n => n).ToListAsync());

    private static async Task<List<string>> GroupsOfAsync(PreauAppFactory app, string lastName) =>
        await app.WithDbAsync(db => db.GroupMemberships.Where(m => m.Pupil!.LastName == lastName).Select(m => m.Group!.Name).OrderBy(n => n).ToListAsync());

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Import_SiecleAndStsFiles_CreatesPupilsGuardiansStaffWithAccentsGroupsAndServices(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var accounts = Path.Combine(db.DataDirectory, "comptes.csv");
        var report = Path.Combine(db.DataDirectory, "rapport.json");

        var (code, output, error) = await SiecleAsync(app, extra: ["--accounts-out", accounts, "--report-json", report]);

        Assert.True(code == 0, error);
        Assert.Contains("Import terminé", output, StringComparison.Ordinal);
        // Pupils 1001, 1002, 1003 (no INE) and 1005; 1004 left before the export and is not created.
        Assert.Equal(["CŒUR Anaïs", "DUPONT Élise", "LEFÈVRE Zoé", "N'DIAYE Moussa"], await NamesAsync(app, Profile.Pupil));
        // Béatrice GARÇON is only the guardian of the pupil who left; the contact (RESP_LEGAL 0) is no guardian.
        Assert.Equal(["CŒUR François", "DUPONT Jérôme", "LEFÈVRE Hélène", "N'DIAYE Aminata"], await NamesAsync(app, Profile.Parent));
        Assert.Equal(["BŒUF Gaëlle", "MARTIN Benoît"], await NamesAsync(app, Profile.Teacher));
        Assert.Equal(["ROUSSEAU Mathilde"], await NamesAsync(app, Profile.SchoolAdmin));
        Assert.Equal(["PETIT Cécile"], await NamesAsync(app, Profile.Staff));
        Assert.Equal(["4A", "LAT4"], await GroupsOfAsync(app, "LEFÈVRE"));
        var latin = await app.WithDbAsync(db => db.Groups.SingleAsync(g => g.Name == "LAT4"));
        Assert.Equal(GroupKind.Group, latin.Kind);
        var moussaGuardians = await app.WithDbAsync(db => db.GuardianLinks.Where(l => l.Child!.FirstName == "Moussa").Select(l => l.Parent!.FirstName).ToListAsync());
        Assert.Equal(["Aminata"], moussaGuardians);
        var services = await app.WithDbAsync(db => db.TeachingAssignments
            .Select(t => t.Teacher!.LastName + " " + t.Subject!.Code + " " + t.Group!.Name).OrderBy(s => s).ToListAsync());
        Assert.Equal(["BŒUF FRANC 4A", "BŒUF LATIN LAT4", "MARTIN MATHS 4A", "MARTIN MATHS 4B"], services);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal(12, json.RootElement.GetProperty("created").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("deactivated").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("errors").GetArrayLength());
        var (header, lines) = SeedRun.ReadCsv(accounts);
        Assert.Equal(["login", "password", "profile", "school", "class"], header);
        Assert.Equal(12, lines.Count);
        Assert.Contains(lines, l => l.Login == "anais.coeur" && l.Profile == "eleve" && l.Class == "4A");
    }

    [Fact]
    public async Task Import_SameFilesTwice_SecondRunChangesNothing()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        Assert.Equal(0, (await SiecleAsync(app)).Code);
        var people = await app.WithDbAsync(d => d.People.CountAsync());
        var report = Path.Combine(db.DataDirectory, "rapport.json");

        var (code, _, error) = await SiecleAsync(app, extra: ["--report-json", report]);

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal(0, json.RootElement.GetProperty("created").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("updated").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("moved").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("deactivated").GetInt32());
        Assert.Equal(13, json.RootElement.GetProperty("unchanged").GetInt32()); // 12 people and the pupil who left
        Assert.Equal(people, await app.WithDbAsync(d => d.People.CountAsync()));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Import_NewExportAfterClassChange_MovesPupilWithoutDuplicateAndDeactivatesWhoLeft(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        Assert.Equal(0, (await SiecleAsync(app)).Code);
        var report = Path.Combine(db.DataDirectory, "rapport.json");

        var (code, _, error) = await SiecleAsync(app, "eleves-0750001A-rentree2.xml", "--report-json", report);

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal(1, json.RootElement.GetProperty("moved").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("deactivated").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("created").GetInt32());
        Assert.Equal(["4B"], await GroupsOfAsync(app, "CŒUR"));
        Assert.Single(await app.WithDbAsync(d => d.People.Where(p => p.LastName == "CŒUR" && p.Profile == Profile.Pupil).ToListAsync()));
        // Élise left: still in the directory, out of her groups, unable to sign in.
        Assert.Empty(await GroupsOfAsync(app, "DUPONT"));
        var elise = await app.WithDbAsync(d => d.ImportedPeople.Where(r => r.Person!.FirstName == "Élise")
            .Select(r => new { r.DeactivatedAt, Account = d.Accounts.Single(a => a.PersonId == r.PersonId) }).SingleAsync());
        Assert.NotNull(elise.DeactivatedAt);
        Assert.Null(elise.Account.ActivationCodeHash);
        Assert.Null(elise.Account.PasswordHash);
        // Her father is no longer linked: the new guardians file still names him, but she is not in the export.
        Assert.Equal(0, await app.WithDbAsync(d => d.GroupMemberships.CountAsync(m => m.Pupil!.FirstName == "Élise")));
    }

    [Fact]
    public async Task Import_TruncatedFile_RefusedWithFrenchMessageAndNothingWritten()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);

        var (code, _, error) = await SiecleAsync(app, "eleves-0750001A-tronque.xml");

        Assert.Equal(1, code);
        Assert.Contains("tronqué ou mal formé", error, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(d => d.People.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(d => d.Groups.CountAsync()));
    }

    [Fact]
    public async Task Import_FileOfAnotherSchool_RefusedAndNothingWritten()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);

        var (code, _, error) = await SiecleAsync(app, "eleves-0750002B.xml");

        Assert.Equal(1, code);
        Assert.Contains("l'établissement 0750002B, pas de 0750001A", error, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(d => d.People.CountAsync()));
    }

    [Fact]
    public async Task Import_DryRun_ReportsWhatWouldChangeWithoutWriting()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);

        var (code, output, error) = await SiecleAsync(app, extra: "--dry-run");

        Assert.True(code == 0, error);
        Assert.Contains("Simulation (rien n'a été écrit)", output, StringComparison.Ordinal);
        Assert.Contains("12 créés", output, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(d => d.People.CountAsync()));
    }

    [Theory]
    [InlineData("annuaire-0750001A-windows1252.csv")]
    [InlineData("annuaire-0750001A-utf8.csv")]
    public async Task Import_CsvInWindows1252OrUtf8_CreatesPeopleAndReportsFaultyLine(string file)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var report = Path.Combine(db.DataDirectory, "rapport.json");

        var (code, _, error) = await RunAsync(app, "--school", Uai, "--create-school", "Collège Jean Moulin", "--csv", Sample(file),
            "--report-json", report);

        Assert.True(code == 0, error);
        Assert.Equal(["CŒUR Anaïs", "LEFÈVRE Zoé", "N'DIAYE Moussa"], await NamesAsync(app, Profile.Pupil));
        Assert.Equal(["BŒUF Gaëlle", "MARTIN Benoît"], await NamesAsync(app, Profile.Teacher));
        Assert.Equal(["4A", "LAT4"], await GroupsOfAsync(app, "LEFÈVRE"));
        Assert.Equal(2, await app.WithDbAsync(d => d.GuardianLinks.CountAsync(l => l.Parent!.FirstName == "François")));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var faulty = Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Contains("ligne 6", faulty.GetProperty("record").GetString(), StringComparison.Ordinal);
        Assert.Contains("manquant", faulty.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

public sealed class DemoImportTests
{
    [Fact]
    public async Task DemoImport_DemoSchoolFiles_ImportWithoutErrorsAndGiveEveryoneACode()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schoolId = await app.WithDbAsync(async d =>
        {
            var region = new Region { Code = "DEMO", Name = "Académie de démonstration" };
            var school = new School { RegionId = region.Id, Uai = Preau.Web.Features.Import.DemoImport.Uai, Name = "Collège de démonstration", City = "Paris" };
            d.AddRange(region, school);
            await d.SaveChangesAsync();
            return school.Id;
        });

        var report = await Preau.Web.Features.Import.DemoImport.ImportAsync(app.Services, schoolId, CancellationToken.None);

        Assert.Null(report.Refused);
        Assert.Empty(report.Errors);
        Assert.Equal(100, await app.WithDbAsync(d => d.People.CountAsync(p => p.Profile == Profile.Pupil && p.SchoolId == schoolId)));
        Assert.Equal(report.Created, report.NewAccounts.Count);
        Assert.Contains(report.NewAccounts, a => a.Profile == Profile.SchoolAdmin);
    }
}
