using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Preau.Gate;
using Preau.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Preau.IntegrationTests.Http;

/// <summary>
/// A database or Redis out of reach is "unavailable for a moment" (503, Retry-After, French, "nothing was saved"),
/// never an unexpected 500; a request's own failure (a constraint it broke) stays a 500. The failures are thrown at
/// the end of the real pipeline, behind the gate and the error handler, as a failing query would be.
/// </summary>
public sealed class UnavailableTests
{
    [Theory]
    [InlineData("sqlite-locked", 503)]
    [InlineData("postgresql-unreachable", 503)]
    [InlineData("redis-unreachable", 503)]
    [InlineData("timeout", 503)]
    [InlineData("constraint", 500)]
    public async Task Page_FailureOfAPart_FrenchPageWithStatusAndRetryAfter(string failure, int status)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var factory = new PreauAppFactory(db);
        await using var app = Failing(factory);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("/essai-panne/" + failure, UriKind.Relative));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains("lang=\"fr\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        if (status == 503)
        {
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            Assert.Contains("rien n'a été enregistré", html, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(response.Headers.RetryAfter);
            Assert.Contains("Une erreur inattendue", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("sqlite-locked", 503)]
    [InlineData("constraint", 500)]
    public async Task Api_FailureOfAPart_FrenchProblemDetails(string failure, int status)
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var factory = new PreauAppFactory(db);
        await using var app = Failing(factory);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/v1/essai-panne/" + failure, UriKind.Relative));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(status == 503 ? "Service très sollicité" : "Erreur inattendue", problem.GetProperty("title").GetString());
        Assert.Equal(status == 503, response.Headers.RetryAfter is not null);
        Assert.Equal(status == 503, problem.GetProperty("detail").GetString()!.Contains("rien n'a été enregistré", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gate_CountsAsTheServersFailureWhatIsUnavailable_NotARequestsOwnDatabaseError()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        var isServerFailure = app.Services.GetRequiredService<IOptions<GateOptions>>().Value.IsServerFailure;
        var context = new DefaultHttpContext();

        Assert.True(isServerFailure(context, new SqliteException("SQLite Error 5: 'database is locked'.", 5)));
        Assert.True(isServerFailure(context, new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(isServerFailure(context, new InvalidOperationException("A transient failure.", new TimeoutException())));
        // a constraint the request broke is a database exception too, but says nothing about load
        Assert.False(isServerFailure(context, new SqliteException("SQLite Error 19: 'UNIQUE constraint failed'.", 19)));
        Assert.False(isServerFailure(context, new ArgumentOutOfRangeException("date")));
        context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        Assert.True(isServerFailure(context, null));
    }

    private static WebApplicationFactory<Program> Failing(PreauAppFactory factory) =>
        factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new FailingPart())));

    /// <summary>Answers the paths no endpoint serves: ".../essai-panne/{failure}" throws what that failure throws.</summary>
    private sealed class FailingPart : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context =>
            {
                var path = context.Request.Path.Value ?? "";
                var failure = path.Contains("/essai-panne/", StringComparison.Ordinal) ? path[(path.LastIndexOf('/') + 1)..] : "";
                throw failure switch
                {
                    "sqlite-locked" => new SqliteException("SQLite Error 5: 'database is locked'.", 5),
                    "postgresql-unreachable" => new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
                    "redis-unreachable" => new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "No connection is available", null, CommandStatus.Unknown),
                    "timeout" => new InvalidOperationException("A transient failure.", new TimeoutException("The operation has timed out.")),
                    "constraint" => new SqliteException("SQLite Error 19: 'UNIQUE constraint failed'.", 19),
                    _ => new BadHttpRequestException("Introuvable", StatusCodes.Status404NotFound),
                };
            });
        };
    }
}
