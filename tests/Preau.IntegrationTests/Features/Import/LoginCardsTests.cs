using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Web;
using Microsoft.EntityFrameworkCore;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Accounts;
using ZXing;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;
using static Preau.IntegrationTests.Features.Import.ImportPageClient;

namespace Preau.IntegrationTests.Features.Import;

public sealed class LoginCardsTests
{
    private static async Task<(PreauAppFactory App, TestDatabase Db, TestSchools Schools)> ImportedSchoolAsync(string accountsOut)
    {
        var db = TestDatabase.Create("Sqlite");
        var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var (code, _, error) = await ImportRun.SiecleAsync(app, extra: ["--accounts-out", accountsOut]);
        Assert.True(code == 0, error);
        return (app, db, schools);
    }

    private static async Task<byte[]> PrintAsync(HttpClient head, Guid groupId)
    {
        var response = await PostFormAsync(head, "/etablissement/cartes", "/etablissement/cartes",
            new Dictionary<string, string> { ["groupId"] = groupId.ToString() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Renders the first page with poppler's pdftoppm (grey, 200 dpi) and decodes every QR code on it.</summary>
    private static async Task<List<string>> QrCodesAsync(byte[] pdf, string folder)
    {
        var input = Path.Combine(folder, "cartes.pdf");
        await File.WriteAllBytesAsync(input, pdf);
        var output = Path.Combine(folder, "page");
        using (var process = Process.Start(new ProcessStartInfo("pdftoppm", ["-gray", "-r", "200", "-f", "1", "-l", "1", "-singlefile", input, output])
        { RedirectStandardError = true })!)
        {
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        }

        var (pixels, width, height) = ReadPgm(await File.ReadAllBytesAsync(output + ".pgm"));
        var reader = new BarcodeReaderGeneric { Options = { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true } };
        var results = reader.DecodeMultiple(new RGBLuminanceSource(pixels, width, height, RGBLuminanceSource.BitmapFormat.Gray8)) ?? [];
        return [.. results.Select(r => r.Text)];
    }

    private static (byte[] Pixels, int Width, int Height) ReadPgm(byte[] file)
    {
        // "P5\n<width> <height>\n255\n" then one byte per pixel.
        var fields = new List<string>();
        var position = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)file[position]))
            {
                position++;
            }

            var start = position;
            while (!char.IsWhiteSpace((char)file[position]))
            {
                position++;
            }

            fields.Add(Encoding.ASCII.GetString(file, start, position - start));
        }

        var width = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var height = int.Parse(fields[2], CultureInfo.InvariantCulture);
        return (file[(position + 1)..(position + 1 + (width * height))], width, height);
    }

    [Fact]
    public async Task Cards_HeadPrintsClass_QrCodeOpensFilledActivationThatWorksAndOldCodeNoLongerDoes()
    {
        var folder = Directory.CreateTempSubdirectory("preau-cards-").FullName;
        var (app, db, _) = await ImportedSchoolAsync(Path.Combine(folder, "comptes.csv"));
        await using var _db = db;
        await using var _app = app;
        var oldCodes = Seed.SeedRun.ReadCsv(Path.Combine(folder, "comptes.csv")).Lines.ToDictionary(l => l.Login, l => l.Secret);
        var class4A = await app.WithDbAsync(d => d.Groups.Where(g => g.Name == "4A").Select(g => g.Id).SingleAsync());
        using var head = await SignedInAsync(app, "schooladmin.a");

        var pdf = await PrintAsync(head, class4A);
        var urls = await QrCodesAsync(pdf, folder);

        // 4A: Zoé and Anaïs, and their guardians Hélène and François.
        Assert.Equal(4, urls.Count);
        var url = new Uri(urls.Single(u => u.Contains("login=anais.coeur", StringComparison.Ordinal)));
        Assert.Equal("/activation", url.AbsolutePath);
        var query = HttpUtility.ParseQueryString(url.Query);
        var (login, code) = (query["login"]!, query["code"]!);
        Assert.NotEqual(oldCodes[login], code);

        using var visitor = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await visitor.GetStringAsync(new Uri(url.PathAndQuery, UriKind.Relative));
        Assert.Contains($"value=\"{login}\"", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{code}\"", page, StringComparison.Ordinal);
        var stale = await visitor.PostAsJsonAsync(new Uri("/api/v1/auth/activate", UriKind.Relative),
            new { login, code = oldCodes[login], newPassword = "Carte-de-2026-ok!" });
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        var activated = await visitor.PostAsJsonAsync(new Uri("/api/v1/auth/activate", UriKind.Relative),
            new { login, code, newPassword = "Carte-de-2026-ok!" });
        Assert.True(activated.IsSuccessStatusCode, await activated.Content.ReadAsStringAsync());
        Assert.Equal(4, await app.WithDbAsync(d => d.ActivationResets.CountAsync(r => r.Reason == "cards")));
    }

    [Fact]
    public async Task Cards_HeadOfAnotherSchool_CannotPrintThisSchoolsClass()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var otherHead = await SignedInAsync(app, "schooladmin.b");

        var response = await PostFormAsync(otherHead, "/etablissement/cartes", "/etablissement/cartes",
            new Dictionary<string, string> { ["groupId"] = schools.Classes["a1"].ToString() });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => d.ActivationResets.CountAsync()));
    }

    [Fact]
    public async Task Reset_StaffGivesPupilNewCode_RecordedOldPasswordEndsNewCodeActivates()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var staff = await SignedInAsync(app, "staff.a");

        var response = await staff.PostAsync(new Uri($"/api/v1/accounts/{schools.People["pupil.a1"]}/activation-code", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<Web.Features.Import.ImportSetup.ResetDto>();
        var reset = await app.WithDbAsync(d => d.ActivationResets.SingleAsync());
        Assert.Equal((schools.People["pupil.a1"], schools.People["staff.a"], "reset"), (reset.PersonId, reset.IssuedById, reset.Reason));
        using var pupil = app.CreateClient();
        var old = await pupil.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { login = "pupil.a1", password = TestSchools.Password });
        Assert.False(old.IsSuccessStatusCode);
        var activated = await pupil.PostAsJsonAsync(new Uri("/api/v1/auth/activate", UriKind.Relative),
            new { login = "pupil.a1", code = issued!.Code, newPassword = "Nouveau-code-2026!" });
        Assert.True(activated.IsSuccessStatusCode, await activated.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("staff.a", "pupil.b1", HttpStatusCode.NotFound)] // another school's pupil
    [InlineData("staff.a", "parent.b1", HttpStatusCode.NotFound)] // another school's guardian
    [InlineData("staff.a", "schooladmin.a", HttpStatusCode.NotFound)] // staff never reset the head
    [InlineData("staff.a", "teacher.a1", HttpStatusCode.NotFound)]
    [InlineData("schooladmin.b", "pupil.a1", HttpStatusCode.NotFound)]
    [InlineData("teacher.a1", "pupil.a1", HttpStatusCode.Forbidden)]
    [InlineData("pupil.a2", "pupil.a1", HttpStatusCode.Forbidden)]
    [InlineData("parent.a1", "pupil.a1", HttpStatusCode.Forbidden)]
    public async Task Reset_WrongProfileOrSchool_Refused(string caller, string target, HttpStatusCode expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = await SignedInAsync(app, caller);

        var response = await client.PostAsync(new Uri($"/api/v1/accounts/{schools.People[target]}/activation-code", UriKind.Relative), null);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(d => d.ActivationResets.CountAsync()));
        var hash = await app.WithDbAsync(d => d.Accounts.Where(a => a.PersonId == schools.People[target]).Select(a => a.PasswordHash).SingleAsync());
        Assert.NotNull(hash);
    }

    [Fact]
    public async Task Reset_HeadGivesTeacherNewCode_Allowed()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var head = await SignedInAsync(app, "schooladmin.a");

        var response = await head.PostAsync(new Uri($"/api/v1/accounts/{schools.People["teacher.a1"]}/activation-code", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(ActivationCodes.Hash((await response.Content.ReadFromJsonAsync<Web.Features.Import.ImportSetup.ResetDto>())!.Code),
            await app.WithDbAsync(d => d.Accounts.Where(a => a.PersonId == schools.People["teacher.a1"]).Select(a => a.ActivationCodeHash).SingleAsync()));
    }
}
