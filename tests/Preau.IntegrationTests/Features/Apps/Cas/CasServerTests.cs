using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Preau.Data;
using Preau.IntegrationTests.Infrastructure;
using static Preau.IntegrationTests.Features.Apps.Cas.CasTestApps;

namespace Preau.IntegrationTests.Features.Apps.Cas;

/// <summary>Issue 16: Préau's CAS server as an app and a browser see it, without a third-party client (the
/// Apache mod_auth_cas tests cover that): exact service matching, who gets a ticket, one-time short-lived
/// tickets, the protocol's error codes, attribute release.</summary>
public sealed class CasServerTests
{
    private const string Service = "https://manuels.example/eleve/";

    [Fact]
    public async Task Login_UnknownOrNearService_FrenchPageAndNoRedirect()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await DeclareAsync(app.Services, schools, Service);
        await DeclareAsync(app.Services, schools, "https://ferme.example/", enabled: false);
        using var pupil = await BrowserAsync(app, "pupil.a1");

        foreach (var service in new[] { "https://evil.example/", "https://manuels.example/eleve", "https://manuels.example/eleve/?x=1",
            "HTTPS://manuels.example/eleve/", "https://ferme.example/", "" })
        {
            using var response = await pupil.GetAsync(LoginUri(service));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("Application inconnue", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Login_NotSignedIn_ChallengesThenGatewayReturnsWithoutTicket()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await DeclareAsync(app.Services, schools, Service);
        using var anonymous = await BrowserAsync(app, null);

        using var challenge = await anonymous.GetAsync(LoginUri(Service));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.Equal("/connexion?ReturnUrl=" + Uri.EscapeDataString("/cas/login?service=" + Uri.EscapeDataString(Service)),
            challenge.Headers.Location!.ToString());

        using var gateway = await anonymous.GetAsync(LoginUri(Service, "&gateway=true"));
        Assert.Equal(HttpStatusCode.Redirect, gateway.StatusCode);
        Assert.Equal(Service, gateway.Headers.Location!.ToString());

        // after signing in, the same address gives the ticket
        await TestSchools.LoginAsync(anonymous, "pupil.a1");
        Assert.StartsWith("ST-", await TicketAsync(anonymous, Service), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("parent.a1")]
    [InlineData("teacher.a1")]
    [InlineData("regionadmin")]
    public async Task Login_ProfileNotAdmitted_Forbidden(string login)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await DeclareAsync(app.Services, schools, Service, profiles: "Pupil");
        using var browser = await BrowserAsync(app, login);

        using var response = await browser.GetAsync(LoginUri(Service));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("pas ouverte à votre profil", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PreauDbContext>().CasTickets.CountAsync());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task ServiceValidate_TicketReplayed_SecondRefused(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await DeclareAsync(app.Services, schools, Service);
        using var pupil = await BrowserAsync(app, "pupil.a1");
        using var client = app.CreateClient();

        var ticket = await TicketAsync(pupil, Service);
        var first = await ValidateAsync(client, "/cas/p3/serviceValidate", ticket, Service);
        var success = first.Element(CasNs + "authenticationSuccess")!;
        var user = success.Element(CasNs + "user")!.Value;
        Assert.Matches("^[0-9a-f]{32}$", user); // the pseudonymous subject, not the login
        var attributes = success.Element(CasNs + "attributes")!;
        Assert.Equal("pupil A1", attributes.Element(CasNs + "name")!.Value);
        Assert.Equal("Pupil", attributes.Element(CasNs + "profile")!.Value);
        Assert.Equal("0750001A", attributes.Element(CasNs + "school")!.Value);
        Assert.Equal("4e1", attributes.Element(CasNs + "classes")!.Value);
        Assert.Null(attributes.Element(CasNs + "login"));

        var replay = await ValidateAsync(client, "/cas/p3/serviceValidate", ticket, Service);
        Assert.Equal("INVALID_TICKET", FailureCode(replay));

        // the subject is stable for this app: a second sign-in gives the same user
        var again = await ValidateAsync(client, "/cas/serviceValidate", await TicketAsync(pupil, Service), Service);
        Assert.Equal(user, again.Element(CasNs + "authenticationSuccess")!.Element(CasNs + "user")!.Value);
        Assert.Null(again.Descendants(CasNs + "attributes").FirstOrDefault()); // CAS 2.0: no attributes
    }

    [Fact]
    public async Task ServiceValidate_TicketsRacedOnPostgres_ExactlyOneSucceedsEach()
    {
        await using var db = TestDatabase.Create("Postgres");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await DeclareAsync(app.Services, schools, Service);
        using var pupil = await BrowserAsync(app, "pupil.a1");
        for (var round = 0; round < 5; round++)
        {
            var ticket = await TicketAsync(pupil, Service);
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                using var client = app.CreateClient();
                return await ValidateAsync(client, "/cas/serviceValidate", ticket, Service);
            }));
            Assert.Single(answers, a => FailureCode(a) is null);
            Assert.All(answers.Where(a => FailureCode(a) is not null), a => Assert.Equal("INVALID_TICKET", FailureCode(a)));
        }
    }

    [Fact]
    public async Task ServiceValidate_TicketExpired_Refused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var factory = new PreauAppFactory(db);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(clock)));
        var schools = await TestSchools.SeedAsync(app.Services);
        await DeclareAsync(app.Services, schools, Service);
        using var pupil = app.CreateClient(new() { AllowAutoRedirect = false });
        await TestSchools.LoginAsync(pupil, "pupil.a1");
        using var client = app.CreateClient();

        var ticket = await TicketAsync(pupil, Service);
        clock.Advance(TimeSpan.FromSeconds(11)); // Cas:TicketSeconds is 10
        Assert.Equal("INVALID_TICKET", FailureCode(await ValidateAsync(client, "/cas/serviceValidate", ticket, Service)));

        var fresh = await TicketAsync(pupil, Service);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Null(FailureCode(await ValidateAsync(client, "/cas/serviceValidate", fresh, Service)));
    }

    [Fact]
    public async Task ServiceValidate_WrongServiceOrMissingParameters_ProtocolErrors()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await DeclareAsync(app.Services, schools, Service);
        await DeclareAsync(app.Services, schools, "https://autre.example/");
        using var pupil = await BrowserAsync(app, "pupil.a1");
        using var client = app.CreateClient();

        var ticket = await TicketAsync(pupil, Service);
        Assert.Equal("INVALID_SERVICE", FailureCode(await ValidateAsync(client, "/cas/p3/serviceValidate", ticket, "https://autre.example/")));
        // the failed attempt used the ticket up
        Assert.Equal("INVALID_TICKET", FailureCode(await ValidateAsync(client, "/cas/p3/serviceValidate", ticket, Service)));

        Assert.Equal("INVALID_REQUEST", FailureCode(await ValidateAsync(client, "/cas/serviceValidate", null, Service)));
        Assert.Equal("INVALID_REQUEST", FailureCode(await ValidateAsync(client, "/cas/serviceValidate", "ST-x", null)));
        Assert.Equal("INVALID_TICKET", FailureCode(await ValidateAsync(client, "/cas/serviceValidate", "ST-inconnu", Service)));
        Assert.Equal("INVALID_TICKET", FailureCode(await ValidateAsync(client, "/cas/serviceValidate", "PT-" + new string('x', 500), Service)));
    }

    [Fact]
    public async Task ServiceValidate_LoginReleasedAndParent_LoginAsUserAndChildren()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await DeclareAsync(app.Services, schools, Service, profiles: "Pupil,Parent", claims: "name children login");
        using var parent = await BrowserAsync(app, "parent.a1");
        using var pupil = await BrowserAsync(app, "pupil.a1");
        using var client = app.CreateClient();
        var childLess = await DeclareAsync(app.Services, schools, "https://pseudo.example/", profiles: "Pupil", claims: "");
        Assert.NotEqual(Guid.Empty, childLess);

        var parentView = (await ValidateAsync(client, "/cas/p3/serviceValidate", await TicketAsync(parent, Service), Service))
            .Element(CasNs + "authenticationSuccess")!;
        Assert.Equal("parent.a1", parentView.Element(CasNs + "user")!.Value);
        var attributes = parentView.Element(CasNs + "attributes")!;
        Assert.Equal("parent.a1", attributes.Element(CasNs + "login")!.Value);
        Assert.Null(attributes.Element(CasNs + "school"));
        var child = attributes.Element(CasNs + "children")!.Value.Split(';');
        Assert.Equal(["pupil A1", "4e1"], child[1..]);

        // the child's subject for this app is what the app would know the pupil by with a pseudonymous release
        var pupilView = await ValidateAsync(client, "/cas/p3/serviceValidate", await TicketAsync(pupil, Service), Service);
        Assert.Equal("pupil.a1", pupilView.Element(CasNs + "authenticationSuccess")!.Element(CasNs + "user")!.Value);
        Assert.Matches("^[0-9a-f]{32}$", child[0]);

        var pseudonymous = await ValidateAsync(client, "/cas/p3/serviceValidate", await TicketAsync(pupil, "https://pseudo.example/"), "https://pseudo.example/");
        var pseudo = pseudonymous.Element(CasNs + "authenticationSuccess")!;
        Assert.Matches("^[0-9a-f]{32}$", pseudo.Element(CasNs + "user")!.Value);
        Assert.NotEqual(child[0], pseudo.Element(CasNs + "user")!.Value); // another app, another subject
        Assert.Null(pseudo.Element(CasNs + "attributes"));
    }

    [Fact]
    public async Task Validate_Cas1_YesOnceThenNo()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await DeclareAsync(app.Services, schools, Service);
        using var pupil = await BrowserAsync(app, "pupil.a1");
        using var client = app.CreateClient();
        var ticket = await TicketAsync(pupil, Service);
        var uri = new Uri($"/cas/validate?ticket={ticket}&service={Uri.EscapeDataString(Service)}", UriKind.Relative);

        Assert.Matches("^yes\n[0-9a-f]{32}\n$", await client.GetStringAsync(uri));
        Assert.Equal("no\n\n", await client.GetStringAsync(uri));
    }

    [Fact]
    public async Task Logout_Get_AsksAndOnlyThePostSignsOut()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var schools = await TestSchools.SeedAsync(app.Services);
        await DeclareAsync(app.Services, schools, Service);
        using var pupil = await BrowserAsync(app, "pupil.a1");

        var asked = await pupil.GetStringAsync(new Uri("/cas/logout?service=" + Uri.EscapeDataString(Service), UriKind.Relative));
        Assert.Contains("« Manuels numériques » demande à vous déconnecter", asked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await pupil.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);

        // a foreign site's POST has no antiforgery token: refused, still signed in
        using var forged = await pupil.PostAsync(new Uri("/cas/logout", UriKind.Relative), new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pupil.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);

        using var signedOut = await FormPost.SubmitAsync(pupil, "/cas/logout?service=" + Uri.EscapeDataString(Service), new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(Service, signedOut.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await pupil.GetAsync(new Uri("/api/v1/me", UriKind.Relative))).StatusCode);

        // a service nobody declared: no redirect after signing out
        using var unknown = await pupil.GetAsync(new Uri("/cas/logout?service=https://evil.example/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("Vous êtes déconnecté", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
