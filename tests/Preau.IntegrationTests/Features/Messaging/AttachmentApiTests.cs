using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Messaging;

public sealed class AttachmentApiTests
{
    private static readonly byte[] s_pdf = "%PDF-1.4\n% fake but well-formed enough to be sniffed\n"u8.ToArray();

    private static async Task<Guid> DraftAsync(HttpClient client, string to)
    {
        var created = await client.PostAsJsonAsync(new Uri("/api/v1/messages/drafts", UriKind.Relative), new { to = new[] { to }, subject = "Autorisation", body = "Ci-joint." });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid draftId, byte[] bytes, string name)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf"); // what the client claims is ignored
        content.Add(file, "file", name);
        return client.PostAsync(new Uri($"/api/v1/messages/drafts/{draftId}/attachments", UriKind.Relative), content);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Attachment_SentWithMessage_RecipientDownloadsOthersDoNot(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await MessagingApiTests.ClientAsync(app, "teacher.a1");
        using var parent = await MessagingApiTests.ClientAsync(app, "parent.a1");
        using var otherParent = await MessagingApiTests.ClientAsync(app, "parent.a2");
        var to = $"parents:{schools.Classes["a1"]}";
        var draftId = await DraftAsync(teacher, to);

        var upload = await UploadAsync(teacher, draftId, s_pdf, "autorisation.pdf");
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var attachmentId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sent = await teacher.PostAsJsonAsync(new Uri("/api/v1/messages", UriKind.Relative), new { to = new[] { to }, subject = "Autorisation", body = "Ci-joint.", draftId });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var messageId = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var view = await parent.GetFromJsonAsync<JsonElement>($"/api/v1/messages/{messageId}");
        Assert.Equal("autorisation.pdf", Assert.Single(view.GetProperty("attachments").EnumerateArray()).GetProperty("fileName").GetString());
        var download = await parent.GetAsync(new Uri($"/api/v1/messages/attachments/{attachmentId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(s_pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await otherParent.GetAsync(new Uri($"/api/v1/messages/attachments/{attachmentId}", UriKind.Relative))).StatusCode);
        // Stored under a random name, never the client's.
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(db.DataDirectory, "message-attachments")), f => f.EndsWith(".pdf", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Attachment_WrongTypeTooBigOrOthersDraft_Refused(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Messaging:Files:MaxBytes"] = "2048" });
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await MessagingApiTests.ClientAsync(app, "teacher.a1");
        using var other = await MessagingApiTests.ClientAsync(app, "teacher.a2");
        var draftId = await DraftAsync(teacher, $"person:{schools.People["staff.a"]}");

        var html = await UploadAsync(teacher, draftId, "<html><script>alert(1)</script></html>"u8.ToArray(), "sujet.pdf");
        var big = await UploadAsync(teacher, draftId, [.. s_pdf, .. new byte[4096]], "gros.pdf");
        var foreign = await UploadAsync(other, draftId, s_pdf, "intrus.pdf");

        Assert.Equal(HttpStatusCode.BadRequest, html.StatusCode);
        Assert.Contains("ne correspond pas à son extension", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Equal("application/problem+json", big.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        // A good file, then the draft deleted: the file goes with it.
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(teacher, draftId, s_pdf, "ok.pdf")).StatusCode);
        Assert.Single(Directory.GetFiles(Path.Combine(db.DataDirectory, "message-attachments")));
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync(new Uri($"/api/v1/messages/drafts/{draftId}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await teacher.DeleteAsync(new Uri($"/api/v1/messages/drafts/{draftId}", UriKind.Relative))).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(db.DataDirectory, "message-attachments"))
            && Directory.GetFiles(Path.Combine(db.DataDirectory, "message-attachments")).Length > 0);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Attachment_PdfBytesNamedExe_RefusedAndNothingStored(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await MessagingApiTests.ClientAsync(app, "teacher.a1");
        var draftId = await DraftAsync(teacher, $"person:{schools.People["staff.a"]}");

        var upload = await UploadAsync(teacher, draftId, s_pdf, "programme.exe");

        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        Assert.Equal("application/problem+json", upload.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ne correspond pas à son extension", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var draft = await teacher.GetFromJsonAsync<JsonElement>($"/api/v1/messages/drafts/{draftId}");
        Assert.Equal(0, draft.GetProperty("attachments").GetArrayLength());
        Assert.Empty(StoredFiles(db));
    }

    [Fact]
    public async Task ComposePage_PdfBytesNamedExe_RefusedInFrenchAndTypedTextKept()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await MessagingApiTests.ClientAsync(app, "teacher.a1");

        var response = await FormPost.SubmitWithFileAsync(teacher, "/messagerie/ecrire", "Attach",
            [new("To", $"person:{schools.People["staff.a"]}"), new("Subject", "Sortie au musée"), new("Body", "Voici le programme.")],
            "Upload", "programme.exe", s_pdf);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("ne correspond pas à son extension", html, StringComparison.Ordinal);
        Assert.Contains("Sortie au musée", html, StringComparison.Ordinal);
        Assert.Contains("Voici le programme.", html, StringComparison.Ordinal);
        Assert.Empty(StoredFiles(db));
    }

    [Fact]
    public async Task Download_Attachment_ServedAsNoStoreAttachmentWithRfc6266Name()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await MessagingApiTests.ClientAsync(app, "teacher.a1");
        var draftId = await DraftAsync(teacher, $"person:{schools.People["staff.a"]}");
        var upload = await UploadAsync(teacher, draftId, s_pdf, "Sortie été.pdf");
        var attachmentId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var download = await teacher.GetAsync(new Uri($"/api/v1/messages/attachments/{attachmentId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("nosniff", Assert.Single(download.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(download.Headers.CacheControl?.NoStore);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Sortie été.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
    }

    private static string[] StoredFiles(TestDatabase db)
    {
        var folder = Path.Combine(db.DataDirectory, "message-attachments");
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }
}
