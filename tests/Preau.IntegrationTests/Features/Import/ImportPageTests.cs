using System.Net;
using Microsoft.EntityFrameworkCore;
using Preau.Data.Directory;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;
using static Preau.IntegrationTests.Features.Import.ImportPageClient;

namespace Preau.IntegrationTests.Features.Import;

public sealed class ImportPageTests
{
    private static readonly (string, string)[] s_siecle =
        [("eleves", "eleves-0750001A.xml"), ("responsables", "responsables-0750001A.xml"), ("sts", "sts-0750001A.xml")];

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task ImportPage_HeadChecksThenApplies_DryRunWritesNothingApplyCreatesDirectory(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var head = await SignedInAsync(app, "schooladmin.a");

        var check = await UploadAsync(head, "", s_siecle);

        var html = WebUtility.HtmlDecode(await check.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Contains("Simulation\u202F: rien n'a encore été enregistré", html, StringComparison.Ordinal);
        Assert.Contains("12 créés", html, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(d => d.People.AnyAsync(p => p.LastName == "CŒUR")));

        var apply = await PostFormAsync(head, "/etablissement/import", "/etablissement/import?handler=Apply",
            new Dictionary<string, string> { ["pending"] = Pending(html)! });

        Assert.Equal(HttpStatusCode.OK, apply.StatusCode);
        Assert.Contains("Import terminé", await apply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var anais = await app.WithDbAsync(d => d.People.Where(p => p.LastName == "CŒUR" && p.Profile == Profile.Pupil)
            .Select(p => new { p.FirstName, School = p.School!.Uai }).SingleAsync());
        Assert.Equal(("Anaïs", "0750001A"), (anais.FirstName, anais.School));
    }

    [Fact]
    public async Task ImportPage_TruncatedFile_FrenchMessageAndNothingWritten()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var head = await SignedInAsync(app, "schooladmin.a");
        var before = await app.WithDbAsync(d => d.People.CountAsync());

        var response = await UploadAsync(head, "", ("eleves", "eleves-0750001A-tronque.xml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tronqué ou mal formé", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(before, await app.WithDbAsync(d => d.People.CountAsync()));
    }

    [Fact]
    public async Task ImportPage_HeadOfAnotherSchool_CannotImportIntoThisOne()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var otherHead = await SignedInAsync(app, "schooladmin.b");

        // ?ecole= is for region admins: the head of B stays on B, and A's file is refused there.
        var response = await UploadAsync(otherHead, "?ecole=0750001A", s_siecle);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("l'établissement 0750001A, pas de 0750002B", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(d => d.People.AnyAsync(p => p.LastName == "CŒUR")));
    }

    [Theory]
    [InlineData("teacher.a1")]
    [InlineData("staff.a")]
    [InlineData("pupil.a1")]
    [InlineData("parent.a1")]
    public async Task ImportPage_NotHeadNorRegionAdmin_Forbidden(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, login);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/etablissement/import")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/etablissement/cartes")).StatusCode);
    }

    [Fact]
    public async Task ImportPage_RegionAdmin_ImportsIntoASchoolOfTheRegion()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var region = await SignedInAsync(app, "regionadmin");

        Assert.Equal(HttpStatusCode.NotFound, (await region.GetAsync("/etablissement/import")).StatusCode);
        var check = await UploadAsync(region, "?ecole=0750001A", s_siecle);

        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.NotNull(Pending(await check.Content.ReadAsStringAsync()));
    }
}
