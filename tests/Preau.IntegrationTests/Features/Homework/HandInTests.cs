using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Homework;

/// <summary>Pupils hand work in, teachers collect and return it, guardians read it: by API and by page, and everyone else refused.</summary>
public sealed class HandInTests
{
    private static readonly byte[] s_pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    /// <summary>A homework entry of teacher.a1 for class a1 that collects work, due at 18:00 Paris time on <paramref name="due"/>.</summary>
    internal static async Task<Guid> PostHandInAsync(PreauAppFactory app, TestSchools schools, DateOnly? due = null, string mode = "both",
        bool lateAllowed = false, string title = "Rédaction : mon quartier")
    {
        using var client = await SignedInAsync(app, "teacher.a1");
        return await PostHandInAsync(client, schools, due, mode, lateAllowed, title);
    }

    /// <summary>The same, through a client already signed in as teacher.a1 (a browser test's real server).</summary>
    internal static async Task<Guid> PostHandInAsync(HttpClient client, TestSchools schools, DateOnly? due = null, string mode = "both",
        bool lateAllowed = false, string title = "Rédaction : mon quartier")
    {
        var response = await client.PostAsJsonAsync(new Uri($"/api/v1/classes/{schools.Classes["a1"]}/homework", UriKind.Relative), new
        {
            title, body = "Une page.", subjectId = schools.Subjects["maths"], dueDate = due ?? Due, estimatedMinutes = 45,
            handIn = mode, handInTime = "18:00", handInLateAllowed = lateAllowed,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static Uri U(string path) => new(path, UriKind.Relative);

    internal static async Task<HttpResponseMessage> HandInAsync(HttpClient pupil, Guid id, string? text, params (string Name, byte[] Bytes)[] files) =>
        await HandInAsync(pupil, id, text, files, []);

    private static async Task<HttpResponseMessage> HandInAsync(HttpClient pupil, Guid id, string? text, (string Name, byte[] Bytes)[] files, Guid[] remove)
    {
        using var form = new MultipartFormDataContent();
        if (text is not null)
        {
            form.Add(new StringContent(text), "text");
        }

        foreach (var (name, bytes) in files)
        {
            form.Add(new ByteArrayContent(bytes), "files", name);
        }

        foreach (var r in remove)
        {
            form.Add(new StringContent(r.ToString()), "remove");
        }

        return await pupil.PutAsync(U($"/api/v1/homework/{id}/submission"), form);
    }

    private static async Task<HttpResponseMessage> ReturnAsync(HttpClient teacher, Guid id, Guid pupilId, string comment, string? mark = null,
        (string Name, byte[] Bytes)? file = null)
    {
        using var form = new MultipartFormDataContent { { new StringContent(comment), "comment" } };
        if (mark is not null)
        {
            form.Add(new StringContent(mark), "mark");
            form.Add(new StringContent("20"), "markOutOf");
        }

        if (file is { } f)
        {
            form.Add(new ByteArrayContent(f.Bytes), "file", f.Name);
        }

        return await teacher.PutAsync(U($"/api/v1/homework/{id}/submissions/{pupilId}/return"), form);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task HandInApi_PupilHandsInReplacesTeacherReturns_StatusAndReturnFollow(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostHandInAsync(app, schools);
        var pupilId = schools.People["pupil.a1"];
        using var pupil = await SignedInAsync(app, "pupil.a1");
        using var teacher = await SignedInAsync(app, "teacher.a1");
        using var parent = await SignedInAsync(app, "parent.a1");

        var entry = Assert.Single(await ListAsync(pupil));
        Assert.Equal("both", entry.GetProperty("handIn").GetProperty("mode").GetString());
        Assert.Equal("to-do", (await JsonAsync(await pupil.GetAsync(U($"/api/v1/homework/{id}/submission")))).GetProperty("status").GetString());

        var first = await JsonAsync(await HandInAsync(pupil, id, "Premier jet.", ("brouillon.pdf", s_pdf)));
        Assert.Equal("handed-in", first.GetProperty("status").GetString());
        var draft = first.GetProperty("files")[0].GetProperty("id").GetGuid();
        var second = await JsonAsync(await HandInAsync(pupil, id, "Version finale.", [("final.txt", "mon texte"u8.ToArray())], [draft]));
        Assert.Equal("Version finale.", second.GetProperty("text").GetString());
        Assert.Equal(["final.txt"], second.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("fileName").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await pupil.GetAsync(U($"/api/v1/homework/{id}/submissions/{pupilId}/files/{draft}"))).StatusCode);

        var list = await JsonAsync(await teacher.GetAsync(U($"/api/v1/homework/{id}/submissions")));
        var row = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("studentId").GetGuid() == pupilId);
        Assert.Equal("handed-in", row.GetProperty("status").GetString());

        await JsonAsync(await ReturnAsync(teacher, id, pupilId, "Bon travail.\nAttention à l'orthographe.", "14,5", ("corrigé.pdf", s_pdf)));

        var mine = await JsonAsync(await pupil.GetAsync(U($"/api/v1/homework/{id}/submission")));
        Assert.Equal("returned", mine.GetProperty("status").GetString());
        var ret = mine.GetProperty("return");
        Assert.Equal(14.5m, ret.GetProperty("mark").GetDecimal());
        Assert.Equal(20, ret.GetProperty("markOutOf").GetInt32());
        Assert.StartsWith("Bon travail.", ret.GetProperty("comment").GetString(), StringComparison.Ordinal);
        var corrected = await pupil.GetByteArrayAsync(U(ret.GetProperty("correctedFile").GetProperty("url").GetString()!));
        Assert.Equal(s_pdf, corrected);
        var child = await JsonAsync(await parent.GetAsync(U($"/api/v1/homework/{id}/submission?studentId={pupilId}")));
        Assert.Equal("returned", child.GetProperty("status").GetString());

        // Returned work is no longer replaced.
        var again = await HandInAsync(pupil, id, "Trop tard ?");
        var problem = await JsonAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("déjà été corrigé", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task HandInApi_PastDeadline_RefusedUnlessLateAllowedThenMarkedLate(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var closed = await PostHandInAsync(app, schools, yesterday, title: "Fermé");
        var late = await PostHandInAsync(app, schools, yesterday, lateAllowed: true, title: "Retard accepté");
        using var pupil = await SignedInAsync(app, "pupil.a1");

        var refused = await JsonAsync(await HandInAsync(pupil, closed, "Mon travail"), HttpStatusCode.Conflict);
        Assert.Equal("Date limite dépassée", refused.GetProperty("title").GetString());
        Assert.Contains("ne peut plus être rendu", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("to-do", (await JsonAsync(await pupil.GetAsync(U($"/api/v1/homework/{closed}/submission")))).GetProperty("status").GetString());

        var taken = await JsonAsync(await HandInAsync(pupil, late, "Mon travail"));
        Assert.Equal("late", taken.GetProperty("status").GetString());
    }

    [Fact]
    public async Task HandInApi_WrongPupilParentTeacherOrSchool_Refused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await schools.AddPupilAsync(app.Services, "pupil.voisin", "a1");
        var id = await PostHandInAsync(app, schools);
        var pupilId = schools.People["pupil.a1"];
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var file = (await JsonAsync(await HandInAsync(pupil, id, "Le mien.", ("devoir.pdf", s_pdf)))).GetProperty("files")[0].GetProperty("id").GetGuid();
        var fileUri = $"/api/v1/homework/{id}/submissions/{pupilId}/files/{file}";

        // A classmate: their own hand-in only, never pupil.a1's work nor a hand-in in their name.
        using var classmate = await SignedInAsync(app, "pupil.voisin");
        Assert.Equal(HttpStatusCode.NotFound, (await classmate.GetAsync(U($"/api/v1/homework/{id}/submission?studentId={pupilId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await classmate.GetAsync(U(fileUri))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await classmate.GetAsync(U($"/devoirs/{id}/rendus/{pupilId}/{file}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReturnAsync(classmate, id, pupilId, "Piraté", "0")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await classmate.GetAsync(U($"/api/v1/homework/{id}/submissions"))).StatusCode);
        await JsonAsync(await HandInAsync(classmate, id, "Le mien à moi."));
        Assert.Equal("Le mien.", (await JsonAsync(await pupil.GetAsync(U($"/api/v1/homework/{id}/submission")))).GetProperty("text").GetString());

        foreach (var login in new[] { "pupil.a2", "pupil.b1" })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U($"/api/v1/homework/{id}/submission"))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await HandInAsync(other, id, "Intrus")).StatusCode);
        }

        foreach (var login in new[] { "parent.a2", "parent.b1" })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U($"/api/v1/homework/{id}/submission?studentId={pupilId}"))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U(fileUri))).StatusCode);
        }

        foreach (var login in new[] { "teacher.a2", "teacher.b1" })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U($"/api/v1/homework/{id}/submissions"))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U($"/api/v1/homework/{id}/submissions/archive"))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U(fileUri))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await ReturnAsync(other, id, pupilId, "Pas ma classe", "1")).StatusCode);
        }

        foreach (var login in new[] { "staff.b", "regionadmin" })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Contains((await other.GetAsync(U(fileUri))).StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden });
        }

        Assert.Equal("handed-in", (await JsonAsync(await pupil.GetAsync(U($"/api/v1/homework/{id}/submission")))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task HandInApi_FileTooLargeOverQuotaOrTooMany_French413AndNothingKept()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?>
        {
            ["Homework:HandInFiles:MaxBytes"] = "3000",
            ["Homework:HandInFiles:QuotaBytes"] = "5000",
            ["Homework:MaxFilesPerHandIn"] = "3",
        });
        var schools = await TestSchools.SeedAsync(app.Services);
        var first = await PostHandInAsync(app, schools, title: "Premier");
        var second = await PostHandInAsync(app, schools, title: "Second");
        using var pupil = await SignedInAsync(app, "pupil.a1");
        static byte[] Text(int n) => Encoding.ASCII.GetBytes(new string('a', n));

        var tooLarge = await JsonAsync(await HandInAsync(pupil, first, null, ("gros.txt", Text(4000))), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("dépasse la taille maximale", tooLarge.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var tooMany = await JsonAsync(await HandInAsync(pupil, first, null, ("1.txt", Text(10)), ("2.txt", Text(10)), ("3.txt", Text(10)), ("4.txt", Text(10))),
            HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("3 fichiers au plus", tooMany.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await JsonAsync(await HandInAsync(pupil, first, null, ("a.txt", Text(2500))));
        // The quota spans every hand-in of the pupil.
        var full = await JsonAsync(await HandInAsync(pupil, second, "texte", ("b.txt", Text(2000)), ("c.txt", Text(1000))), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("espace de dépôt est plein", full.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("to-do", (await JsonAsync(await pupil.GetAsync(U($"/api/v1/homework/{second}/submission")))).GetProperty("status").GetString());
        Assert.Single(Directory.GetFiles(Path.Combine(db.DataDirectory, "rendus")));
        await JsonAsync(await HandInAsync(pupil, second, "texte", ("b.txt", Text(2000))));
    }

    [Fact]
    public async Task HandInApi_ModeTextOnlyOrEmpty_FrenchValidation()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostHandInAsync(app, schools, mode: "text");
        using var pupil = await SignedInAsync(app, "pupil.a1");

        var withFile = await JsonAsync(await HandInAsync(pupil, id, "Texte", ("devoir.pdf", s_pdf)), HttpStatusCode.BadRequest);
        Assert.Contains("en texte, pas en fichiers", withFile.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var empty = await JsonAsync(await HandInAsync(pupil, id, "   "), HttpStatusCode.BadRequest);
        Assert.Equal("Rendu vide", empty.GetProperty("title").GetString());
        using var teacher = await SignedInAsync(app, "teacher.a1");
        var badMark = await JsonAsync(await ReturnAsync(teacher, id, schools.People["pupil.a1"], "Rien", "25"), HttpStatusCode.BadRequest);
        Assert.Contains("entre 0 et 20", badMark.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task HandInArchive_ClassOfPupils_OneZipWithSafeFolderPerPupil(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await schools.AddPupilAsync(app.Services, "pupil.voisin", "a1");
        var id = await PostHandInAsync(app, schools);
        using (var pupil = await SignedInAsync(app, "pupil.a1"))
        {
            await JsonAsync(await HandInAsync(pupil, id, "Ma rédaction.", ("devoir.pdf", s_pdf), ("devoir.pdf", s_pdf)));
        }

        using (var classmate = await SignedInAsync(app, "pupil.voisin"))
        {
            await JsonAsync(await HandInAsync(classmate, id, null, ("../../../etc/passwd.txt", "root"u8.ToArray())));
        }

        using var teacher = await SignedInAsync(app, "teacher.a1");
        foreach (var path in new[] { $"/api/v1/homework/{id}/submissions/archive", $"/devoirs/{id}/copies.zip" })
        {
            var response = await teacher.GetAsync(U(path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            await using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
            var names = zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(["A1 pupil/devoir (2).pdf", "A1 pupil/devoir.pdf", "A1 pupil/texte.txt", "VOISIN pupil/passwd.txt"], names);
            using var reader = new StreamReader(await zip.GetEntry("A1 pupil/texte.txt")!.OpenAsync());
            Assert.Equal("Ma rédaction.", await reader.ReadToEndAsync());
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task HandInPages_PupilHandsInTeacherReturnsParentReads_WithoutJavaScript(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostHandInAsync(app, schools);
        var pupilId = schools.People["pupil.a1"];
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var notebook = await pupil.GetStringAsync(U("/devoirs"));
        Assert.Contains($"href=\"/devoirs/{id}/rendu\"", notebook, StringComparison.Ordinal);
        Assert.Contains("À rendre", await pupil.GetStringAsync(U($"/devoirs/{id}/rendu")), StringComparison.Ordinal);

        var sent = await FormPost.SubmitWithFilesAsync(pupil, $"/devoirs/{id}/rendu", null, [new("Input.Text", "Mon quartier est calme.")],
            [("Input.Files", "rédaction.pdf", s_pdf)]);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var mine = await pupil.GetStringAsync(sent.Headers.Location!);
        Assert.Contains("Votre travail est rendu.", mine, StringComparison.Ordinal);
        Assert.Contains("Rendu", mine, StringComparison.Ordinal);
        Assert.Contains("rédaction.pdf", mine, StringComparison.Ordinal);

        using var teacher = await SignedInAsync(app, "teacher.a1");
        var copies = await teacher.GetStringAsync(U($"/devoirs/{id}/copies"));
        Assert.Contains($"/devoirs/{id}/copies/{pupilId}", copies, StringComparison.Ordinal);
        Assert.Contains($"/devoirs/{id}/copies.zip", copies, StringComparison.Ordinal);
        var returned = await FormPost.SubmitWithFilesAsync(teacher, $"/devoirs/{id}/copies/{pupilId}", null,
            [new("Input.Comment", "Très bien écrit."), new("Input.Mark", "16,5"), new("Input.MarkOutOf", "20")], [("Input.File", "corrigé.pdf", s_pdf)]);
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);
        Assert.Contains("Corrigé", await teacher.GetStringAsync(U($"/devoirs/{id}/copies")), StringComparison.Ordinal);

        var back = await pupil.GetStringAsync(U($"/devoirs/{id}/rendu"));
        Assert.Contains("Corrigé", back, StringComparison.Ordinal);
        Assert.Contains("16,5/20", back, StringComparison.Ordinal);
        Assert.Contains("Très bien écrit.", back, StringComparison.Ordinal);
        Assert.Contains("corrigé.pdf", back, StringComparison.Ordinal);
        Assert.DoesNotContain("Remplacer mon rendu", back, StringComparison.Ordinal);

        using var parent = await SignedInAsync(app, "parent.a1");
        var child = await parent.GetStringAsync(U($"/devoirs/{id}/rendu?eleve={pupilId}"));
        Assert.Contains("16,5/20", child, StringComparison.Ordinal);
        Assert.DoesNotContain("<textarea", child, StringComparison.Ordinal);
        Assert.Contains("Travail corrigé", await parent.GetStringAsync(U("/fil")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandInPage_PastDeadline_FrenchRefusalAndTypedTextKept()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostHandInAsync(app, schools, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1));
        using var pupil = await SignedInAsync(app, "pupil.a1");
        Assert.Contains("ne peut plus être rendu", await pupil.GetStringAsync(U($"/devoirs/{id}/rendu")), StringComparison.Ordinal);

        var response = await FormPost.SubmitWithFilesAsync(pupil, $"/devoirs/{id}/rendu", null, [new("Input.Text", "Texte tapé à ne pas perdre.")], []);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("ne peut plus être rendu", html, StringComparison.Ordinal);
        Assert.Contains("Texte tapé à ne pas perdre.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandInPages_WrongPeople_NotFoundOrForbidden()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostHandInAsync(app, schools);
        var pupilId = schools.People["pupil.a1"];
        foreach (var login in new[] { "pupil.a2", "pupil.b1", "parent.a2", "teacher.a2", "teacher.b1", "staff.a" })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U($"/devoirs/{id}/rendu?eleve={pupilId}"))).StatusCode);
        }

        foreach (var login in new[] { "teacher.a2", "teacher.b1" })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U($"/devoirs/{id}/copies"))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U($"/devoirs/{id}/copies/{pupilId}"))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(U($"/devoirs/{id}/copies.zip"))).StatusCode);
        }

        foreach (var login in new[] { "pupil.a1", "parent.a1", "staff.a" })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(U($"/devoirs/{id}/copies"))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(U($"/devoirs/{id}/copies.zip"))).StatusCode);
        }
    }

    [Fact]
    public async Task NewHomeworkPage_HandInSettings_SavedAndShownOnEdit()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        var response = await FormPost.SubmitAsync(teacher, "/devoirs/nouveau", new Dictionary<string, string>
        {
            ["Input.ClassSubject"] = $"{schools.Classes["a1"]}:{schools.Subjects["maths"]}", ["Input.Type"] = "homework",
            ["Input.Title"] = "Exposé", ["Input.Date"] = Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Input.HandIn"] = "files", ["Input.HandInTime"] = "17:30", ["Input.HandInLate"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        using var pupil = await SignedInAsync(app, "pupil.a1");
        var handIn = Assert.Single(await ListAsync(pupil)).GetProperty("handIn");
        Assert.Equal("files", handIn.GetProperty("mode").GetString());
        Assert.True(handIn.GetProperty("lateAllowed").GetBoolean());
        var dueAt = handIn.GetProperty("dueAt").GetDateTimeOffset();
        var paris = TimeZoneInfo.ConvertTime(dueAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        Assert.Equal((Due, new TimeOnly(17, 30)), (DateOnly.FromDateTime(paris.DateTime), TimeOnly.FromDateTime(paris.DateTime)));

        var id = Assert.Single(await ListAsync(teacher)).GetProperty("id").GetGuid();
        var edit = await teacher.GetStringAsync(U($"/devoirs/{id}/modifier"));
        Assert.Contains("value=\"17:30\"", edit, StringComparison.Ordinal);
        Assert.Contains("<option value=\"files\" selected=\"selected\">", edit, StringComparison.Ordinal);
    }
}
