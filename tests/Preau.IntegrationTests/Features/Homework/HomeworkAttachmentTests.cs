using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Homework.HomeworkTestClient;

namespace Preau.IntegrationTests.Features.Homework;

public sealed class HomeworkAttachmentTests
{
    private static readonly byte[] s_pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid entryId, byte[] bytes, string fileName, string declaredType = "application/pdf")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
        form.Add(file, "file", fileName);
        return await client.PostAsync(new Uri($"/api/v1/homework/{entryId}/attachments", UriKind.Relative), form);
    }

    private static string AttachmentsDirectory(TestDatabase db) => Path.Combine(db.DataDirectory, "attachments");

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Upload_Pdf_PupilDownloadsWithSafeHeaders_OthersGet404(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var upload = await UploadAsync(teacher, id, s_pdf, "../../Fiche d'exercices été.pdf", "text/html");
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        var attachment = Assert.Single(await ListAsync(pupil)).GetProperty("attachments")[0];
        var url = new Uri(attachment.GetProperty("url").GetString()!, UriKind.Relative);

        var download = await pupil.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(s_pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(download.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Fiche d'exercices été.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.True(download.Headers.CacheControl?.NoStore);
        // Only random names on disk, inside the attachments folder.
        var stored = Assert.Single(Directory.GetFiles(AttachmentsDirectory(db)));
        Assert.Matches("^[0-9a-f]{32}$", Path.GetFileName(stored));

        foreach (var login in new[] { "pupil.a2", "pupil.b1", "teacher.b1", "parent.b1" })
        {
            using var other = await SignedInAsync(app, login);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(new Uri($"/devoirs/{id}/pieces/{attachment.GetProperty("id").GetGuid()}", UriKind.Relative))).StatusCode);
        }

        using var parent = await SignedInAsync(app, "parent.a1");
        Assert.Equal(HttpStatusCode.OK, (await parent.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("<html><script>alert(1)</script></html>", "devoir.pdf")]
    [InlineData("MZ\u0090\0\u0003\0\0\0", "devoir.exe")]
    [InlineData("%PDF-1.4 fake", "devoir.png")]
    public async Task Upload_ContentNotMatchingAllowedType_Returns400AndLeavesNoFile(string content, string fileName)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var response = await UploadAsync(teacher, id, Encoding.Latin1.GetBytes(content), fileName);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Empty(Directory.Exists(AttachmentsDirectory(db)) ? Directory.GetFiles(AttachmentsDirectory(db)) : []);
    }

    [Fact]
    public async Task Upload_OverConfiguredLimit_Returns413AndLeavesNoFileNorRow()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Homework:Files:MaxBytes"] = "2048" });
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");

        var big = new byte[5000];
        s_pdf.CopyTo(big, 0);
        var response = await UploadAsync(teacher, id, big, "gros.pdf");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(Directory.Exists(AttachmentsDirectory(db)) ? Directory.GetFiles(AttachmentsDirectory(db)) : []);
        using var pupil = await SignedInAsync(app, "pupil.a1");
        Assert.Equal(0, Assert.Single(await ListAsync(pupil)).GetProperty("attachments").GetArrayLength());
    }

    [Theory]
    [InlineData("teacher.a2", HttpStatusCode.NotFound)]
    [InlineData("teacher.b1", HttpStatusCode.NotFound)]
    [InlineData("pupil.a1", HttpStatusCode.Forbidden)]
    public async Task Upload_NotTheAuthor_Refused(string login, HttpStatusCode expected)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        using var client = await SignedInAsync(app, login);

        var response = await UploadAsync(client, id, s_pdf, "fiche.pdf");

        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(Directory.Exists(AttachmentsDirectory(db)) ? Directory.GetFiles(AttachmentsDirectory(db)) : []);
    }

    [Fact]
    public async Task Delete_EntryWithAttachment_RemovesTheFile()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await PostAsync(app, schools);
        using var teacher = await SignedInAsync(app, "teacher.a1");
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(teacher, id, s_pdf, "fiche.pdf")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await teacher.DeleteAsync(new Uri($"/api/v1/homework/{id}", UriKind.Relative))).StatusCode);

        Assert.Empty(Directory.GetFiles(AttachmentsDirectory(db)));
    }
}
