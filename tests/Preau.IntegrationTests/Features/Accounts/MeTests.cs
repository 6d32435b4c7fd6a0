using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Accounts;

public sealed class MeTests
{
    [Fact]
    public async Task Me_Anonymous_Returns401Problem()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        await (await client.GetAsync("/api/v1/me")).AssertProblemAsync(401);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Me_Pupil_ReturnsOwnSchoolAndOwnClassOnly(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.b2");

        var me = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/me", UriKind.Relative));

        Assert.Equal(schools.People["pupil.b2"], me.GetProperty("id").GetGuid());
        Assert.Equal("Pupil", me.GetProperty("profile").GetString());
        Assert.Equal(schools.Schools["b"], me.GetProperty("school").GetProperty("id").GetGuid());
        Assert.Equal("0750002B", me.GetProperty("school").GetProperty("uai").GetString());
        var classes = me.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal([schools.Classes["b2"]], classes.Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal("Class", classes[0].GetProperty("kind").GetString());
        Assert.Empty(me.GetProperty("children").EnumerateArray());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Me_Teacher_ReturnsTaughtGroupsWithSubjects(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "teacher.a2");

        var me = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/me", UriKind.Relative));

        var classes = me.GetProperty("classes").EnumerateArray().ToList();
        Assert.Equal([schools.Classes["a2"]], classes.Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal(["Mathématiques"], classes[0].GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(schools.Schools["a"], me.GetProperty("school").GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Me_Parent_ReturnsOwnChildrenWithSchoolAndClass(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "parent.b1");

        var me = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/me", UriKind.Relative));

        Assert.Equal(JsonValueKind.Null, me.GetProperty("school").ValueKind);
        var child = Assert.Single(me.GetProperty("children").EnumerateArray());
        Assert.Equal(schools.People["pupil.b1"], child.GetProperty("id").GetGuid());
        Assert.Equal("pupil B1", child.GetProperty("displayName").GetString());
        Assert.Equal(schools.Schools["b"], child.GetProperty("school").GetProperty("id").GetGuid());
        Assert.Equal(schools.Classes["b1"], child.GetProperty("class").GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task ChangePassword_Good_KeepsThisSessionAndSignsOutTheOthers(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        // Check the stamp on every request, so the other session's end is seen at once.
        await using var app = new PreauAppFactory(db, new Dictionary<string, string?> { ["Accounts:StampCheckMinutes"] = "0" });
        await TestSchools.SeedAsync(app.Services);
        using var phone = app.CreateClient();
        using var tablet = app.CreateClient();
        await TestSchools.LoginAsync(phone, "teacher.b1");
        await TestSchools.LoginAsync(tablet, "teacher.b1");

        var change = await phone.PostJsonAsync("/api/v1/me/password",
            new { currentPassword = TestSchools.Password, newPassword = "cheval agrafe batterie" });

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/v1/me")).StatusCode);
        await (await tablet.GetAsync("/api/v1/me")).AssertProblemAsync(401);
        using var fresh = app.CreateClient();
        await (await fresh.PostJsonAsync("/api/v1/auth/login", new { login = "teacher.b1", password = TestSchools.Password })).AssertProblemAsync(401);
        Assert.Equal(HttpStatusCode.OK, (await fresh.PostJsonAsync("/api/v1/auth/login", new { login = "teacher.b1", password = "cheval agrafe batterie" })).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_Returns400AndKeepsPassword()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        var response = await client.PostJsonAsync("/api/v1/me/password", new { currentPassword = "pas-le-bon-1", newPassword = "cheval agrafe batterie" });

        var problem = await response.AssertProblemAsync(400);
        Assert.Equal("Le mot de passe actuel est incorrect.", problem.GetProperty("errors").GetProperty("currentPassword")[0].GetString());
        using var again = app.CreateClient();
        await TestSchools.LoginAsync(again, "pupil.a1");
    }

    [Fact]
    public async Task ChangePassword_WeakNewPassword_Returns400WithFrenchReason()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        var response = await client.PostJsonAsync("/api/v1/me/password", new { currentPassword = TestSchools.Password, newPassword = "court" });

        var problem = await response.AssertProblemAsync(400);
        Assert.Contains("au moins 10 caractères", problem.GetProperty("errors").GetProperty("newPassword")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_Anonymous_Returns401()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var response = await client.PostJsonAsync("/api/v1/me/password", new { currentPassword = "x", newPassword = "cheval agrafe batterie" });

        await response.AssertProblemAsync(401);
    }
}
