using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data.Apps;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Apps;

namespace Preau.IntegrationTests.Features.Apps.Registry;

/// <summary>Issue 16: the region administrator declares the apps that trust Préau; nobody else may.</summary>
public sealed partial class AppRegistryPageTests
{
    private static readonly WebApplicationFactoryClientOptions s_noRedirect = new() { AllowAutoRedirect = false };

    [Fact]
    public async Task Create_ConfidentialOpenIdClient_ShowsSecretOnceAndStoresOnlyItsHash()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var admin = await SignedInAsync(app, "regionadmin");

        var response = await SubmitAsync(admin, "/region/applications/nouvelle", Fields(clientId: "manuels-numeriques"));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("une seule fois", page, StringComparison.Ordinal);
        var secret = SecretPattern().Match(page).Groups[1].Value;
        Assert.True(secret.Length >= 40, page);
        var saved = await app.WithDbAsync(d => d.ConnectedApps.AsNoTracking().SingleAsync(a => a.ClientId == "manuels-numeriques"));
        Assert.Equal(schools.RegionId, saved.RegionId);
        Assert.Equal(AppProtocol.OpenIdConnect, saved.Protocol);
        Assert.Equal(AppSecrets.Hash(secret), saved.ClientSecretHash);
        Assert.DoesNotContain(secret, saved.ClientSecretHash!, StringComparison.Ordinal);
        Assert.Equal("https://manuels.example.org/callback", saved.RedirectUris);
        Assert.Equal("name profile", saved.ReleasedClaims);
        Assert.Equal("Pupil,Parent", saved.AllowedProfiles);
        var later = await admin.GetStringAsync(new Uri($"/region/applications/{saved.Id}", UriKind.Relative));
        Assert.DoesNotContain(secret, later, StringComparison.Ordinal);
        Assert.Contains("client confidentiel", later, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PublicClient_NoSecretAndBackToTheApp()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var admin = await SignedInAsync(app, "regionadmin");

        var response = await SubmitAsync(admin, "/region/applications/nouvelle", Fields(clientId: "ent-mobile", publicClient: true,
            redirects: "http://127.0.0.1:8080/cb\nhttp://localhost/cb\nhttps://mobile.example.org/cb"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await app.WithDbAsync(d => d.ConnectedApps.AsNoTracking().SingleAsync(a => a.ClientId == "ent-mobile"));
        Assert.Equal($"/region/applications/{saved.Id}", response.Headers.Location?.OriginalString);
        Assert.Null(saved.ClientSecretHash);
        Assert.Equal(3, saved.RedirectUris.Split('\n').Length);
        var list = await admin.GetStringAsync(new Uri("/region/applications", UriKind.Relative));
        Assert.Contains("Manuels numériques", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnsafeAddressesAndNoProfile_FrenchErrorsTypedValuesKeptNothingSaved()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var admin = await SignedInAsync(app, "regionadmin");

        var response = await SubmitAsync(admin, "/region/applications/nouvelle", Fields(
            name: "Cahier de liaison", clientId: "liaison",
            redirects: "http://liaison.example.org/cb\nhttps://*.example.org/cb\nhttps://liaison.example.org/cb#suite",
            launch: "liaison point org", profiles: []));

        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("doit commencer par https://", page, StringComparison.Ordinal);
        Assert.Contains("jokers", page, StringComparison.Ordinal);
        Assert.Contains("fragment", page, StringComparison.Ordinal);
        Assert.Contains("n'est pas une adresse complète", page, StringComparison.Ordinal);
        Assert.Contains("Cochez au moins un profil", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Cahier de liaison\"", page, StringComparison.Ordinal);
        Assert.Contains("https://*.example.org/cb", page, StringComparison.Ordinal);
        Assert.Contains("value=\"liaison point org\"", page, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(d => d.ConnectedApps.CountAsync()));
    }

    [Fact]
    public async Task Create_TooManyUrisOrTakenClientId_Refused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        using var admin = await SignedInAsync(app, "regionadmin");
        var existing = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId);
        var takenId = await app.WithDbAsync(d => d.ConnectedApps.Where(a => a.Id == existing).Select(a => a.ClientId).SingleAsync());

        var tooMany = await SubmitAsync(admin, "/region/applications/nouvelle", Fields(clientId: "trop-d-adresses",
            redirects: string.Join('\n', Enumerable.Range(1, 21).Select(i => $"https://app.example.org/cb{i}"))));
        var taken = await SubmitAsync(admin, "/region/applications/nouvelle", Fields(clientId: takenId));

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("Au plus 20 adresses", WebUtility.HtmlDecode(await tooMany.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Contains("déjà utilisé", WebUtility.HtmlDecode(await taken.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(d => d.ConnectedApps.CountAsync()));
    }

    [Fact]
    public async Task Edit_RegionAdmin_SavesKeepsClientIdAndTellsEveryRegistrar()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var factory = new PreauAppFactory(db);
        var registrar = new RecordingRegistrar();
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IAppRegistrar>(registrar)));
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId);
        using var admin = app.CreateClient(s_noRedirect);
        await TestSchools.LoginAsync(admin, "regionadmin");

        var response = await SubmitAsync(admin, $"/region/applications/{id}", Fields(name: "Manuels (collèges)", clientId: "ignore-moi",
            protocol: "Cas", redirects: "https://manuels.example.org/cas\nhttps://manuels.example.org/cas2", profiles: ["Pupil", "Teacher"]));
        var secret = await SubmitAsync(admin, $"/region/applications/{id}", [], "Secret");
        await SubmitAsync(admin, $"/region/applications/{id}", [], "Delete");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, secret.StatusCode); // CAS has no secret to replace
        var saved = registrar.Saved.Single();
        Assert.Equal("Manuels (collèges)", saved.Name);
        Assert.StartsWith("app-", saved.ClientId, StringComparison.Ordinal);
        Assert.Equal("Pupil,Teacher", saved.AllowedProfiles);
        Assert.Equal("https://manuels.example.org/cas\nhttps://manuels.example.org/cas2", saved.RedirectUris);
        Assert.Null(saved.ClientSecretHash);
        Assert.Equal([id], registrar.Deleted);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<Preau.Data.PreauDbContext>().ConnectedApps.AnyAsync());
    }

    [Fact]
    public async Task NewSecret_ConfidentialClient_ReplacesHashAndShowsItOnce()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var admin = await SignedInAsync(app, "regionadmin");
        await SubmitAsync(admin, "/region/applications/nouvelle", Fields(clientId: "cned"));
        var before = await app.WithDbAsync(d => d.ConnectedApps.AsNoTracking().SingleAsync());

        var response = await SubmitAsync(admin, $"/region/applications/{before.Id}", [], "Secret");

        var secret = SecretPattern().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value;
        var after = await app.WithDbAsync(d => d.ConnectedApps.AsNoTracking().SingleAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(before.ClientSecretHash, after.ClientSecretHash);
        Assert.Equal(AppSecrets.Hash(secret), after.ClientSecretHash);
    }

    [Fact]
    public async Task Edit_BadLaunchUrl_FrenchErrorAndRowUnchanged()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId);
        using var admin = await SignedInAsync(app, "regionadmin");

        var response = await SubmitAsync(admin, $"/region/applications/{id}", Fields(name: "Nouveau nom", protocol: "Cas", launch: "ftp://manuels.example.org/"));

        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("doit commencer par https://", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Nouveau nom\"", page, StringComparison.Ordinal);
        Assert.Equal("Manuels numériques", await app.WithDbAsync(d => d.ConnectedApps.Where(a => a.Id == id).Select(a => a.Name).SingleAsync()));
    }

    [Fact]
    public async Task Enabled_RegionAdmin_DisablesThenEnables()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId);
        using var admin = await SignedInAsync(app, "regionadmin");

        await SubmitAsync(admin, $"/region/applications/{id}", [new("enabled", "false")], "Enabled");
        var disabled = await app.WithDbAsync(d => d.ConnectedApps.Where(a => a.Id == id).Select(a => a.Enabled).SingleAsync());
        var list = await admin.GetStringAsync(new Uri("/region/applications", UriKind.Relative));
        await SubmitAsync(admin, $"/region/applications/{id}", [new("enabled", "true")], "Enabled");

        Assert.False(disabled);
        Assert.Contains("désactivée", list, StringComparison.Ordinal);
        Assert.True(await app.WithDbAsync(d => d.ConnectedApps.Where(a => a.Id == id).Select(a => a.Enabled).SingleAsync()));
    }

    [Theory]
    [InlineData("schooladmin.a")]
    [InlineData("staff.a")]
    [InlineData("teacher.a1")]
    [InlineData("pupil.a1")]
    [InlineData("parent.a1")]
    public async Task Pages_NotRegionAdmin_Forbidden(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        var id = await AppsTestData.SeedAppAsync(app.Services, schools.RegionId);
        using var client = await SignedInAsync(app, login);

        foreach (var path in new[] { "/region/applications", "/region/applications/nouvelle", $"/region/applications/{id}" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(path)).StatusCode);
        }

        var delete = await SubmitAsync(client, $"/region/applications/{id}", [], "Delete", tokenFrom: "/compte/mot-de-passe");
        var create = await SubmitAsync(client, "/region/applications/nouvelle", Fields(clientId: "intrus"), tokenFrom: "/compte/mot-de-passe");

        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(d => d.ConnectedApps.CountAsync()));
    }

    [Fact]
    public async Task Pages_AnotherRegionsApp_NotFoundAndUntouched()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        var elsewhere = await AppsTestData.SeedAppAsync(app.Services, Guid.NewGuid(), name: "Application d'une autre région");
        using var admin = await SignedInAsync(app, "regionadmin");

        var get = await admin.GetAsync($"/region/applications/{elsewhere}");
        var edit = await SubmitAsync(admin, $"/region/applications/{elsewhere}", Fields(name: "Détournée"), tokenFrom: "/region/applications/nouvelle");
        var disable = await SubmitAsync(admin, $"/region/applications/{elsewhere}", [new("enabled", "false")], "Enabled", tokenFrom: "/region/applications/nouvelle");
        var delete = await SubmitAsync(admin, $"/region/applications/{elsewhere}", [], "Delete", tokenFrom: "/region/applications/nouvelle");
        var list = await admin.GetStringAsync(new Uri("/region/applications", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Contains("n'existe pas", WebUtility.HtmlDecode(await get.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, disable.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.DoesNotContain("autre région", WebUtility.HtmlDecode(list), StringComparison.Ordinal);
        var row = await app.WithDbAsync(d => d.ConnectedApps.AsNoTracking().SingleAsync());
        Assert.Equal(("Application d'une autre région", true), (row.Name, row.Enabled));
    }

    internal static async Task<HttpClient> SignedInAsync(PreauAppFactory app, string login)
    {
        var client = app.CreateClient(s_noRedirect);
        await TestSchools.LoginAsync(client, login);
        return client;
    }

    internal static List<KeyValuePair<string, string>> Fields(string name = "Manuels numériques", string clientId = "manuels", string protocol = "OpenIdConnect",
        string redirects = "https://manuels.example.org/callback", string launch = "https://manuels.example.org/", bool publicClient = false,
        string[]? profiles = null, string[]? claims = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Form.Name", name), new("Form.ClientId", clientId), new("Form.Protocol", protocol), new("Form.RedirectUris", redirects),
            new("Form.PostLogoutRedirectUris", ""), new("Form.LogoutUri", ""), new("Form.LaunchUrl", launch),
            new("Form.PublicClient", publicClient ? "true" : "false"),
        };
        fields.AddRange((profiles ?? ["Pupil", "Parent"]).Select(p => new KeyValuePair<string, string>("Form.Profiles", p)));
        fields.AddRange((claims ?? ["profile", "name"]).Select(c => new KeyValuePair<string, string>("Form.Claims", c)));
        return fields;
    }

    /// <summary>Posts the page's form as a browser would (repeated checkbox names included).</summary>
    internal static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string path, List<KeyValuePair<string, string>> fields,
        string? handler = null, string? tokenFrom = null) =>
        FormPost.SubmitWithFilesAsync(client, path, handler, fields, [], tokenFrom);

    [GeneratedRegex("<code class=\"secret\">([A-Za-z0-9_-]+)</code>")]
    private static partial Regex SecretPattern();

    private sealed class RecordingRegistrar : IAppRegistrar
    {
        public List<ConnectedApp> Saved { get; } = [];
        public List<Guid> Deleted { get; } = [];

        public Task AppSavedAsync(ConnectedApp app, string? clientSecret, CancellationToken ct)
        {
            Saved.Add(app);
            return Task.CompletedTask;
        }

        public Task AppDeletedAsync(ConnectedApp app, CancellationToken ct)
        {
            Deleted.Add(app.Id);
            return Task.CompletedTask;
        }
    }
}
