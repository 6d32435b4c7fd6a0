using System.Net;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Import;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Accounts.External;

/// <summary>
/// Sign-in "avec mon compte académique" against a real LemonLDAP::NG: Préau on Kestrel (127.0.0.1),
/// a cookie-jar browser following every real redirect and posting LL::NG's own login form.
/// </summary>
public sealed class LemonLdapSignInTests
{
    [Fact]
    public async Task ExternalSignIn_PupilMatchedByLogin_LinksExplainsAndLandsHomeAsThePupil()
    {
        await using var setup = await Setup.StartAsync();
        await setup.Schools.AddPupilAsync(setup.App.Services, "dwho", "a1");
        using var browser = setup.NewBrowser();

        var signInPage = await (await browser.GetAsync(setup.Url("/connexion"))).Content.ReadAsStringAsync();
        Assert.Contains("Se connecter avec mon compte académique", signInPage, StringComparison.Ordinal);
        var landed = await setup.SignInThroughProviderAsync(browser, "dwho");

        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal("/connexion/externe/relie", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Votre compte académique est maintenant relié à votre compte Préau", await landed.Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        Assert.Equal(setup.Schools.People["dwho"], await setup.MeAsync(browser));
        var home = await browser.GetAsync(setup.Url("/"));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("dwho", await home.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        await using (var scope = setup.App.Services.CreateAsyncScope())
        {
            var link = await scope.ServiceProvider.GetRequiredService<PreauDbContext>().ExternalIdentities.SingleAsync();
            Assert.Equal(setup.Schools.People["dwho"], link.PersonId);
            Assert.Equal("dwho", link.Subject);
        }

        // Next time: linked already, straight home, no explanation.
        using var again = setup.NewBrowser();
        var second = await setup.SignInThroughProviderAsync(again, "dwho");
        Assert.Equal("/", second.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(setup.Schools.People["dwho"], await setup.MeAsync(again));
    }

    [Fact]
    public async Task ExternalSignIn_ReplayedCallback_FrenchErrorAndNoSession()
    {
        await using var setup = await Setup.StartAsync();
        await setup.Schools.AddPupilAsync(setup.App.Services, "dwho", "a1");
        using var browser = setup.NewBrowser();
        await setup.SignInThroughProviderAsync(browser, "dwho");
        var callback = browser.Visited.Single(u => u.AbsolutePath == "/connexion/externe/retour");

        // The same browser (its state cookie was spent) and a stranger who stole the address.
        using var stranger = setup.NewBrowser();
        foreach (var replayer in new[] { browser, stranger })
        {
            var replay = await replayer.GetAsync(callback);
            Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
            Assert.Contains("n'a pas pu être acceptée", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Null(await setup.MeAsync(stranger));
    }

    [Fact]
    public async Task ExternalSignIn_UnknownProviderUser_FrenchPageNoSessionNoLink()
    {
        await using var setup = await Setup.StartAsync();
        using var browser = setup.NewBrowser();

        var landed = await setup.SignInThroughProviderAsync(browser, "rtyler");

        Assert.Equal(HttpStatusCode.Forbidden, landed.StatusCode);
        Assert.Contains("ne correspond à aucun compte Préau", await landed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await setup.MeAsync(browser));
        await using var scope = setup.App.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<PreauDbContext>().ExternalIdentities.AnyAsync());
    }

    [Fact]
    public async Task ExternalSignIn_CodeIssuedToAnotherClient_RefusedNoSession()
    {
        await using var setup = await Setup.StartAsync();
        await setup.Schools.AddPupilAsync(setup.App.Services, "dwho", "a1");
        using var browser = setup.NewBrowser();

        // Préau's own request (its state, nonce and PKCE), but taken to the provider for another
        // relying party before the provider ever saw the real one.
        var toProvider = await browser.GetOnceAsync(setup.Url("/connexion/externe"));
        var authorize = toProvider.Headers.Location!;
        Assert.Contains("client_id=" + LemonLdap.ClientId + "&", authorize.Query + "&", StringComparison.Ordinal);
        var forged = new Uri(authorize.GetLeftPart(UriPartial.Path)
            + authorize.Query.Replace("client_id=" + LemonLdap.ClientId, "client_id=" + LemonLdap.OtherClientId, StringComparison.Ordinal));
        var loginPage = await (await browser.GetAsync(forged)).Content.ReadAsStringAsync();
        var landed = await browser.SubmitLoginAsync(forged, loginPage, "dwho", "dwho");

        Assert.Equal("/connexion/externe/erreur", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.BadRequest, landed.StatusCode);
        Assert.Null(await setup.MeAsync(browser));
    }

    [Fact]
    public async Task ExternalSignIn_MatchOnNationalId_LinksThePupilOfTheImportedIne()
    {
        await using var setup = await Setup.StartAsync(new Dictionary<string, string?>
        {
            ["ExternalSignIn:MatchOn"] = "NationalId",
            ["ExternalSignIn:MatchClaim"] = "ine",
        });
        var pupil = setup.Schools.People["pupil.a2"];
        await using (var scope = setup.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
            db.ImportedPeople.Add(new ImportedPerson { PersonId = pupil, SchoolId = setup.Schools.Schools["a"], NationalId = LemonLdap.DwhoIne });
            await db.SaveChangesAsync();
        }

        using var first = setup.NewBrowser();
        var linked = await setup.SignInThroughProviderAsync(first, "dwho");
        Assert.Equal("/connexion/externe/relie", linked.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(pupil, await setup.MeAsync(first));
    }

    /// <summary>Préau on Kestrel and LemonLDAP::NG, each knowing the other's real address.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private Setup(TestDatabase database, PreauAppFactory factory, WebApplicationFactory<Program> app, TestSchools schools, Uri preau,
            LemonLdap provider)
        {
            Database = database;
            _factory = factory;
            App = app;
            Schools = schools;
            Preau = preau;
            Provider = provider;
        }

        private readonly PreauAppFactory _factory;

        public TestDatabase Database { get; }
        public WebApplicationFactory<Program> App { get; }
        public TestSchools Schools { get; }
        public Uri Preau { get; }
        public LemonLdap Provider { get; }

        public static async Task<Setup> StartAsync(Dictionary<string, string?>? settings = null)
        {
            var port = LemonLdap.FreePort();
            var all = new Dictionary<string, string?>
            {
                ["ExternalSignIn:Authority"] = $"http://127.0.0.1:{port}/",
                ["ExternalSignIn:ClientId"] = LemonLdap.ClientId,
                ["ExternalSignIn:ClientSecret"] = LemonLdap.ClientSecret,
                ["ExternalSignIn:RequireHttpsMetadata"] = "false",
            };
            foreach (var (key, value) in settings ?? [])
            {
                all[key] = value;
            }

            var database = TestDatabase.Create("Sqlite");
            var factory = new PreauAppFactory(database, all);
            // plackup's development server drops kept-alive connections: Préau's calls to the provider
            // (discovery, token) open a fresh one each time here. Real portals sit behind nginx or Apache.
            var app = factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
                services.Configure<OpenIdConnectOptions>("academique", o =>
                    o.BackchannelHttpHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero })));
            app.UseKestrel(0);
            app.StartServer();
            var schools = await TestSchools.SeedAsync(app.Services);
            using var client = app.CreateClient();
            var preau = new Uri($"http://127.0.0.1:{client.BaseAddress!.Port}/");
            var provider = await LemonLdap.StartAsync(port, new Uri(preau, "/connexion/externe/retour").ToString());
            return new Setup(database, factory, app, schools, preau, provider);
        }

        public Uri Url(string path) => new(Preau, path);

        /// <summary>A fresh browser, retrying only what it sends to the provider's development server.</summary>
        public Browser NewBrowser() => new() { RetriedAuthority = Provider.Portal.Authority };

        /// <summary>Clicks the button, types the provider's login and password (Demo: password = login).</summary>
        public async Task<HttpResponseMessage> SignInThroughProviderAsync(Browser browser, string user)
        {
            var loginPage = await browser.GetAsync(Url("/connexion/externe"));
            var pageUrl = loginPage.RequestMessage!.RequestUri!;
            Assert.Equal(Provider.Portal.Authority, pageUrl.Authority);
            return await browser.SubmitLoginAsync(pageUrl, await loginPage.Content.ReadAsStringAsync(), user, user);
        }

        /// <summary>Who Préau thinks this browser is (null: no session).</summary>
        public async Task<Guid?> MeAsync(Browser browser)
        {
            var me = await browser.GetAsync(Url("/api/v1/me"));
            if (me.StatusCode == HttpStatusCode.Unauthorized)
            {
                return null;
            }

            using var json = System.Text.Json.JsonDocument.Parse(await me.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("id").GetGuid();
        }

        public async ValueTask DisposeAsync()
        {
            await Provider.DisposeAsync();
            await App.DisposeAsync();
            await _factory.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
