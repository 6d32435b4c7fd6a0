using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Messaging;

public sealed class MessagingApiTests
{
    private static readonly Uri s_messages = new("/api/v1/messages", UriKind.Relative);

    internal static async Task<HttpClient> ClientAsync(PreauAppFactory app, string login)
    {
        var client = app.CreateClient();
        await TestSchools.LoginAsync(client, login);
        return client;
    }

    internal static Task<HttpResponseMessage> SendAsync(HttpClient client, string[] to, string subject = "Sortie au musée", string body = "Bonjour,\n\nla sortie a lieu **jeudi**.") =>
        client.PostAsJsonAsync(s_messages, new { to, subject, body });

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<int> MessageCountAsync(PreauAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PreauDbContext>().Messages.CountAsync();
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Send_TeacherToParentsOfOwnClass_ParentSeesItUnreadThenRead(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await ClientAsync(app, "teacher.a1");
        using var parent = await ClientAsync(app, "parent.a1");
        using var otherParent = await ClientAsync(app, "parent.a2");

        var sent = await SendAsync(teacher, [$"parents:{schools.Classes["a1"]}"]);

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var sentBody = await JsonAsync(sent);
        var id = sentBody.GetProperty("id").GetGuid();
        Assert.Equal(1, sentBody.GetProperty("recipientCount").GetInt32());
        Assert.Equal(1, (await parent.GetFromJsonAsync<JsonElement>("/api/v1/messages/unread-count")).GetProperty("unread").GetInt32());
        var inbox = await parent.GetFromJsonAsync<JsonElement>("/api/v1/messages?folder=inbox");
        var item = Assert.Single(inbox.GetProperty("items").EnumerateArray());
        Assert.Equal("Sortie au musée", item.GetProperty("subject").GetString());
        Assert.Equal("Parents de 4e1", item.GetProperty("recipientsLabel").GetString());
        Assert.False(item.GetProperty("isRead").GetBoolean());

        var message = await parent.GetFromJsonAsync<JsonElement>($"/api/v1/messages/{id}");
        Assert.Contains("<strong>jeudi</strong>", message.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await parent.GetFromJsonAsync<JsonElement>("/api/v1/messages/unread-count")).GetProperty("unread").GetInt32());
        Assert.Empty((await otherParent.GetFromJsonAsync<JsonElement>("/api/v1/messages")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await otherParent.GetAsync(new Uri($"/api/v1/messages/{id}", UriKind.Relative))).StatusCode);
        var sentBox = await teacher.GetFromJsonAsync<JsonElement>("/api/v1/messages?folder=sent");
        Assert.Single(sentBox.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("Sqlite", "pupil.a1", "person", "teacher.a2")]      // wrong class: not one of their teachers
    [InlineData("Sqlite", "pupil.a1", "person", "pupil.a2")]        // wrong class: not a classmate
    [InlineData("Sqlite", "pupil.a1", "person", "staff.b")]         // wrong school
    [InlineData("Sqlite", "pupil.a1", "person", "parent.a1")]       // wrong profile: pupils do not write to parents
    [InlineData("Sqlite", "pupil.a1", "pupils", "a1")]              // wrong profile: a pupil cannot address a class
    [InlineData("Sqlite", "parent.a1", "person", "teacher.a2")]     // wrong class: not their child's teacher
    [InlineData("Sqlite", "parent.a1", "parents", "a1")]            // wrong profile: a parent cannot address a class
    [InlineData("Sqlite", "teacher.a1", "parents", "a2")]           // wrong class: a class they do not teach
    [InlineData("Sqlite", "teacher.a1", "person", "pupil.b1")]      // wrong school
    [InlineData("Sqlite", "teacher.a1", "school", "a")]             // wrong profile: a whole school is for the staff
    [InlineData("Sqlite", "staff.a", "pupils", "b1")]               // wrong school
    [InlineData("Postgres", "pupil.a1", "person", "teacher.a2")]
    [InlineData("Postgres", "teacher.a1", "parents", "b1")]
    public async Task Send_ForgedRecipientOutsideRules_Returns403AndStoresNothing(string provider, string sender, string kind, string target)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = await ClientAsync(app, sender);
        var token = kind switch
        {
            "person" => $"person:{schools.People[target]}",
            "school" => $"school:{schools.Schools[target]}:Parent",
            _ => $"{kind}:{schools.Classes[target]}",
        };

        // An allowed recipient alongside the forged one: the whole send is refused, not half-sent.
        var allowed = sender.StartsWith("staff", StringComparison.Ordinal) ? "pupil.a1" : sender == "parent.a1" ? "teacher.a1" : "staff.a";
        var response = await SendAsync(client, [$"person:{schools.People[allowed]}", token]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await MessageCountAsync(app));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Send_AllowedByDefaultRules_Created(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var pupil = await ClientAsync(app, "pupil.a1");
        using var parent = await ClientAsync(app, "parent.a1");
        using var staff = await ClientAsync(app, "staff.a");
        using var region = await ClientAsync(app, "regionadmin");

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(pupil, [$"person:{schools.People["teacher.a1"]}", $"person:{schools.People["staff.a"]}"])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(parent, [$"person:{schools.People["teacher.a1"]}"])).StatusCode);
        var wholeSchool = await SendAsync(staff, [$"school:{schools.Schools["a"]}:Parent", $"school:{schools.Schools["a"]}:Pupil"]);
        Assert.Equal(HttpStatusCode.Created, wholeSchool.StatusCode);
        Assert.Equal(4, (await JsonAsync(wholeSchool)).GetProperty("recipientCount").GetInt32());
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(region, [$"person:{schools.People["staff.b"]}", $"pupils:{schools.Classes["a2"]}"])).StatusCode);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Send_SchoolRulesForbidPupilsToStaff_RefusedAndNotOffered(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var data = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
            data.CommunicationRules.Add(new Preau.Data.Messaging.SchoolCommunicationRules { SchoolId = schools.Schools["a"], PupilsToStaff = false });
            await data.SaveChangesAsync();
        }

        using var pupil = await ClientAsync(app, "pupil.a1");

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(pupil, [$"person:{schools.People["staff.a"]}"])).StatusCode);
        var picker = await pupil.GetFromJsonAsync<JsonElement>("/api/v1/messages/recipients");
        Assert.DoesNotContain(picker.GetProperty("people").EnumerateArray(), p => p.GetProperty("token").GetString()!.Contains(schools.People["staff.a"].ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Recipients_Pupil_OffersOnlyTeachersStaffAndClassmates(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var pupil = await ClientAsync(app, "pupil.a1");

        var picker = await pupil.GetFromJsonAsync<JsonElement>("/api/v1/messages/recipients");

        var offered = picker.GetProperty("people").EnumerateArray().Select(p => p.GetProperty("token").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { $"person:{schools.People["teacher.a1"]}", $"person:{schools.People["staff.a"]}", $"person:{schools.People["schooladmin.a"]}" }, offered);
        Assert.Empty(picker.GetProperty("audiences").EnumerateArray());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Recipients_Teacher_OffersOwnClassAudiencesAndSchoolPeopleOnly(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await ClientAsync(app, "teacher.a1");

        var picker = await teacher.GetFromJsonAsync<JsonElement>("/api/v1/messages/recipients");

        var audiences = picker.GetProperty("audiences").EnumerateArray().Select(p => p.GetProperty("token").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { $"pupils:{schools.Classes["a1"]}", $"parents:{schools.Classes["a1"]}" }, audiences);
        var people = picker.GetProperty("people").EnumerateArray().Select(p => p.GetProperty("token").GetString()).ToList();
        Assert.Contains($"person:{schools.People["parent.a2"]}", people);
        Assert.DoesNotContain($"person:{schools.People["pupil.b1"]}", people);
        Assert.DoesNotContain($"person:{schools.People["parent.b1"]}", people);
        Assert.DoesNotContain($"person:{schools.People["teacher.a1"]}", people);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Reply_ParentRepliesToClassMessage_OnlyTeacherGetsItInSameThread(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var staff = await ClientAsync(app, "staff.a");
        using var parent = await ClientAsync(app, "parent.a1");
        using var otherParent = await ClientAsync(app, "parent.a2");
        var sent = await SendAsync(staff, [$"school:{schools.Schools["a"]}:Parent"]);
        var id = (await JsonAsync(sent)).GetProperty("id").GetGuid();

        var reply = await parent.PostAsJsonAsync(new Uri($"/api/v1/messages/{id}/reply", UriKind.Relative), new { body = "Bien reçu, merci.", all = true });

        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        // Reply-all from a parent does not reach the other parents: the rules do not allow it.
        Assert.Equal(1, (await JsonAsync(reply)).GetProperty("recipientCount").GetInt32());
        var inbox = await staff.GetFromJsonAsync<JsonElement>("/api/v1/messages");
        var item = Assert.Single(inbox.GetProperty("items").EnumerateArray());
        Assert.Equal("RE : Sortie au musée", item.GetProperty("subject").GetString());
        var view = await staff.GetFromJsonAsync<JsonElement>($"/api/v1/messages/{item.GetProperty("id").GetGuid()}");
        Assert.Equal(id, view.GetProperty("threadId").GetGuid());
        Assert.Single(view.GetProperty("thread").EnumerateArray());
        Assert.Equal(1, (await otherParent.GetFromJsonAsync<JsonElement>("/api/v1/messages")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Reply_ToMessageNotInOwnMailbox_Returns404(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await ClientAsync(app, "teacher.a1");
        using var pupil = await ClientAsync(app, "pupil.a2");
        var id = (await JsonAsync(await SendAsync(teacher, [$"parents:{schools.Classes["a1"]}"]))).GetProperty("id").GetGuid();

        var reply = await pupil.PostAsJsonAsync(new Uri($"/api/v1/messages/{id}/reply", UriKind.Relative), new { body = "Je m'invite" });
        var forward = await pupil.PostAsJsonAsync(s_messages, new { to = new[] { $"person:{schools.People["staff.a"]}" }, subject = "TR", body = "x", forwardOf = id });
        var trash = await pupil.PostAsync(new Uri($"/api/v1/messages/{id}/trash", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forward.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, trash.StatusCode);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Forward_ThenTrashAndRestore_MovesBetweenFolders(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await ClientAsync(app, "teacher.a1");
        using var staff = await ClientAsync(app, "staff.a");
        var id = (await JsonAsync(await SendAsync(staff, [$"person:{schools.People["teacher.a1"]}"]))).GetProperty("id").GetGuid();

        var forward = await teacher.PostAsJsonAsync(s_messages, new { to = new[] { $"person:{schools.People["teacher.a2"]}" }, subject = "TR : sortie", body = "Pour info.", forwardOf = id });
        Assert.Equal(HttpStatusCode.Created, forward.StatusCode);
        using var colleague = await ClientAsync(app, "teacher.a2");
        var fwdId = (await colleague.GetFromJsonAsync<JsonElement>("/api/v1/messages")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var fwdView = await colleague.GetFromJsonAsync<JsonElement>($"/api/v1/messages/{fwdId}");
        Assert.Contains("la sortie a lieu", fwdView.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await teacher.PostAsync(new Uri($"/api/v1/messages/{id}/trash", UriKind.Relative), null)).StatusCode);
        Assert.Equal(0, (await teacher.GetFromJsonAsync<JsonElement>("/api/v1/messages")).GetProperty("items").GetArrayLength());
        Assert.Equal(1, (await teacher.GetFromJsonAsync<JsonElement>("/api/v1/messages?folder=trash")).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, (await teacher.PostAsync(new Uri($"/api/v1/messages/{id}/restore", UriKind.Relative), null)).StatusCode);
        Assert.Equal(1, (await teacher.GetFromJsonAsync<JsonElement>("/api/v1/messages")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task List_SearchAndPaging_FindsBySubjectAndSender(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Messaging:PageSize"] = "2" });
        var schools = await TestSchools.SeedAsync(app.Services);
        using var staff = await ClientAsync(app, "staff.a");
        using var teacher = await ClientAsync(app, "teacher.a1");
        foreach (var subject in new[] { "Cantine", "Piscine", "Conseil de classe" })
        {
            await SendAsync(staff, [$"person:{schools.People["teacher.a1"]}"], subject);
        }

        await SendAsync(await ClientAsync(app, "pupil.a1"), [$"person:{schools.People["teacher.a1"]}"], "Question");

        var page1 = await teacher.GetFromJsonAsync<JsonElement>("/api/v1/messages?page=1");
        var page2 = await teacher.GetFromJsonAsync<JsonElement>("/api/v1/messages?page=2");
        var bySubject = await teacher.GetFromJsonAsync<JsonElement>("/api/v1/messages?q=PISCINE");
        var bySender = await teacher.GetFromJsonAsync<JsonElement>("/api/v1/messages?q=pupil");

        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        Assert.True(page1.GetProperty("hasMore").GetBoolean());
        Assert.Equal(2, page2.GetProperty("items").GetArrayLength());
        Assert.False(page2.GetProperty("hasMore").GetBoolean());
        Assert.Equal("Question", page1.GetProperty("items")[0].GetProperty("subject").GetString());
        Assert.Equal("Piscine", Assert.Single(bySubject.GetProperty("items").EnumerateArray()).GetProperty("subject").GetString());
        Assert.Equal("Question", Assert.Single(bySender.GetProperty("items").EnumerateArray()).GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Send_BadInput_ReturnsValidationProblemInFrench(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var teacher = await ClientAsync(app, "teacher.a1");

        var empty = await SendAsync(teacher, [$"person:{schools.People["staff.a"]}"], subject: "", body: "");
        var noOne = await SendAsync(teacher, []);
        var garbage = await SendAsync(teacher, ["tout-le-monde"]);
        var folder = await teacher.GetAsync(new Uri("/api/v1/messages?folder=archives", UriKind.Relative));

        foreach (var response in new[] { empty, noOne, garbage, folder })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal("L'objet est obligatoire.", (await JsonAsync(empty)).GetProperty("errors").GetProperty("subject")[0].GetString());
        Assert.Equal(0, await MessageCountAsync(app));
    }

    [Fact]
    public async Task Messages_Anonymous_Returns401Problem()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var list = await client.GetAsync(s_messages);
        var send = await SendAsync(client, ["person:0193a3a1-0000-7000-8000-000000000001"]);

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, send.StatusCode);
        Assert.Equal("application/problem+json", send.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Draft_SurvivesServerRestart_AndSendingItRemovesIt(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        Guid draftId;
        TestSchools schools;
        await using (var first = new PreauAppFactory(db))
        {
            schools = await TestSchools.SeedAsync(first.Services);
            using var teacher = await ClientAsync(first, "teacher.a1");
            var created = await teacher.PostAsJsonAsync(new Uri("/api/v1/messages/drafts", UriKind.Relative),
                new { to = new[] { $"parents:{schools.Classes["a1"]}" }, subject = "Réunion", body = "Chers parents, la réunion" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            draftId = (await JsonAsync(created)).GetProperty("id").GetGuid();
            var updated = await teacher.PutAsJsonAsync(new Uri($"/api/v1/messages/drafts/{draftId}", UriKind.Relative),
                new { to = new[] { $"parents:{schools.Classes["a1"]}" }, subject = "Réunion", body = "Chers parents, la réunion aura lieu mardi." });
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }

        // A new server process on the same database: the session cookie is gone, the draft is not.
        await using var second = new PreauAppFactory(db);
        using var again = await ClientAsync(second, "teacher.a1");
        var draft = await again.GetFromJsonAsync<JsonElement>($"/api/v1/messages/drafts/{draftId}");
        Assert.Equal("Chers parents, la réunion aura lieu mardi.", draft.GetProperty("body").GetString());
        Assert.Equal($"parents:{schools.Classes["a1"]}", draft.GetProperty("to")[0].GetString());

        using var intruder = await ClientAsync(second, "teacher.a2");
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync(new Uri($"/api/v1/messages/drafts/{draftId}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.PutAsJsonAsync(new Uri($"/api/v1/messages/drafts/{draftId}", UriKind.Relative), new { subject = "volé" })).StatusCode);

        var sent = await again.PostAsJsonAsync(s_messages, new { to = draft.GetProperty("to").EnumerateArray().Select(t => t.GetString()).ToArray(),
            subject = "Réunion", body = draft.GetProperty("body").GetString(), draftId });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetAsync(new Uri($"/api/v1/messages/drafts/{draftId}", UriKind.Relative))).StatusCode);
    }
}
