using System.Net;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Health;

public sealed class HealthTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Readyz_DatabaseReachable_ReturnsReady(string provider)
    {
        await using var db = TestDatabase.Create(provider);
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var alive = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await client.GetStringAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Contains("ready", ready, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownApiRoute_ReturnsFrenchProblemDetails()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri("/api/v1/nexiste-pas", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("n'existe pas", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
