using System.Net;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Accounts;

/// <summary>The forms people use, posted as a browser without JavaScript would.</summary>
public sealed class SignInPageTests
{
    [Fact]
    public async Task LogoutPage_PostWithoutAntiforgeryToken_IsRefused()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        await TestSchools.SeedAsync(app.Services);
        using var client = app.CreateClient();
        await TestSchools.LoginAsync(client, "pupil.a1");

        var forged = await client.PostAsync(new Uri("/deconnexion", UriKind.Relative), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task PasswordPage_Anonymous_RedirectsToLogin()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/compte/mot-de-passe");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connexion", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }
}

public sealed class KestrelLimitTests
{
    [Fact]
    public async Task Login_OversizedChunkedBodyOnKestrel_Returns413Problem()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient();

        // No Content-Length: only Kestrel's per-endpoint limit can stop this one while it is read.
        using var content = new PushStreamContentWithoutLength("{\"login\":\"pupil.a1\",\"password\":\"" + new string('x', 20_000) + "\"}");
        var response = await client.PostAsync(new Uri("/api/v1/auth/login", UriKind.Relative), content);

        await response.AssertProblemAsync(413);
    }

    private sealed class PushStreamContentWithoutLength : HttpContent
    {
        private readonly string _text;

        public PushStreamContentWithoutLength(string text)
        {
            _text = text;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(_text));

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
