using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Homework;

/// <summary>Attachments added, removed and replaced through the edit page's one form (no JavaScript).</summary>
public sealed class HomeworkEditAttachmentTests
{
    private static readonly byte[] s_pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    private static async Task<Guid> AttachAsync(HttpClient teacher, Guid entryId, string fileName, byte[] bytes)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", fileName } };
        var response = await teacher.PostAsync(new Uri($"/api/v1/homework/{entryId}/attachments", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetGuid();
    }

    private static KeyValuePair<string, string>[] Fields(string title, string body = "Consignes.") =>
    [
        new("Input.Type", "homework"), new("Input.Title", title), new("Input.Body", body),
        new("Input.Date", Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), new("Input.Minutes", "30"),
    ];

    private static async Task<string[]> FileNamesAsync(HttpClient pupil) =>
        [.. Assert.Single(await ListAsync(pupil)).GetProperty("attachments").EnumerateArray()
            .Select(a => a.GetProperty("fileName").GetString()!).Order(StringComparer.Ordinal)];

    private static Uri PieceUri(Guid entryId, Guid attachmentId) => new($"/devoirs/{entryId}/pieces/{attachmentId}", UriKind.Relative);

    private static int FilesOnDisk(TestDatabase db) =>
        Path.Combine(db.DataDirectory, "attachments") is var dir && Directory.Exists(dir) ? Directory.GetFiles(dir).Length : 0;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task EditHomeworkPage_AddRemoveReplace_FilesFollowAndRemovedOnesAreNoLongerServed(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        var gone = await AttachAsync(teacher, id, "ancienne.pdf", s_pdf);
        var replaced = await AttachAsync(teacher, id, "brouillon.txt", "première version"u8.ToArray());
        var form = await teacher.GetStringAsync(new Uri($"/devoirs/{id}/modifier", UriKind.Relative));
        Assert.Contains("ancienne.pdf", form, StringComparison.Ordinal);
        Assert.Contains($"name=\"Remplacer.{replaced}\"", form, StringComparison.Ordinal);

        var response = await FormPost.SubmitWithFilesAsync(teacher, $"/devoirs/{id}/modifier", null,
            [.. Fields("Exercices corrigés"), new("Input.Remove", gone.ToString())],
            [($"Remplacer.{replaced}", "corrigé.txt", "seconde version"u8.ToArray()), ("Input.Files", "annexe.pdf", s_pdf)]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        Assert.Equal(["annexe.pdf", "corrigé.txt"], await FileNamesAsync(pupil));
        Assert.Equal(HttpStatusCode.NotFound, (await pupil.GetAsync(PieceUri(id, gone))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pupil.GetAsync(PieceUri(id, replaced))).StatusCode);
        Assert.Equal(2, FilesOnDisk(db));
        var current = Assert.Single(await ListAsync(pupil)).GetProperty("attachments").EnumerateArray()
            .Single(a => a.GetProperty("fileName").GetString() == "corrigé.txt").GetProperty("id").GetGuid();
        Assert.Equal("seconde version", await pupil.GetStringAsync(PieceUri(id, current)));
    }

    [Fact]
    public async Task EditHomeworkPage_OtherTeacherOrOtherSchool_CannotEditNorRemoveFiles()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools, title: "Titre d'origine");
        using var author = await SignedInAsync(app, "teacher.a1");
        var attachment = await AttachAsync(author, id, "fiche.pdf", s_pdf);

        foreach (var login in new[] { "teacher.a2", "teacher.b1" })
        {
            using var other = await SignedInAsync(app, login);
            var response = await FormPost.SubmitWithFilesAsync(other, $"/devoirs/{id}/modifier", null,
                [.. Fields("Pris par un autre"), new("Input.Remove", attachment.ToString())],
                [("Input.Files", "intrus.pdf", s_pdf)], tokenFrom: "/devoirs/nouveau");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var pupil = await SignedInAsync(app, "pupil.a1");
        var entry = Assert.Single(await ListAsync(pupil));
        Assert.Equal("Titre d'origine", entry.GetProperty("title").GetString());
        Assert.Equal(["fiche.pdf"], await FileNamesAsync(pupil));
        Assert.Equal(HttpStatusCode.OK, (await pupil.GetAsync(PieceUri(id, attachment))).StatusCode);
        Assert.Equal(1, FilesOnDisk(db));
    }

    [Fact]
    public async Task EditHomeworkPage_BadFile_FrenchMessageTypedTextBackNothingChanged()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools, title: "Titre d'origine");
        using var teacher = await SignedInAsync(app, "teacher.a1");
        var attachment = await AttachAsync(teacher, id, "fiche.pdf", s_pdf);

        var response = await FormPost.SubmitWithFilesAsync(teacher, $"/devoirs/{id}/modifier", null,
            [.. Fields("Nouveau titre tapé", "Texte tapé à ne pas perdre."), new("Input.Remove", attachment.ToString())],
            [("Input.Files", "bonne.pdf", s_pdf), ("Input.Files", "faux.pdf", "pas un PDF"u8.ToArray())]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("faux.pdf", html, StringComparison.Ordinal);
        Assert.Contains("ne correspond pas à son extension", html, StringComparison.Ordinal);
        Assert.Contains("Nouveau titre tapé", html, StringComparison.Ordinal);
        Assert.Contains("Texte tapé à ne pas perdre.", html, StringComparison.Ordinal);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        Assert.Equal("Titre d'origine", Assert.Single(await ListAsync(pupil)).GetProperty("title").GetString());
        Assert.Equal(["fiche.pdf"], await FileNamesAsync(pupil));
        Assert.Equal(1, FilesOnDisk(db));
    }

    [Fact]
    public async Task EditHomeworkPage_MoreFilesThanAllowed_FrenchMessageNothingKept()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await FormPost.SubmitWithFilesAsync(teacher, $"/devoirs/{id}/modifier", null, Fields("Six fichiers"),
            Enumerable.Range(1, 6).Select(i => ("Input.Files", $"f{i}.pdf", s_pdf)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("pièces jointes au plus", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, FilesOnDisk(db));
    }
}
