using System.Net.Http.Json;
using System.Text.Json;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Diagnostics;

public sealed class OpenApiTests
{
    [Fact]
    public async Task Document_PreauOperations_TaggedInFrench()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var doc = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var tags = doc.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal) && !p.Name.StartsWith("/api/v1/gate", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("tags", out _))
            .SelectMany(o => o.Value.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!))
            .ToHashSet();
        Assert.Subset(new HashSet<string> { "Actualités", "Comptes", "Connexion", "Devoirs", "Emploi du temps", "Fil d'actualité", "Messagerie", "Mon compte", "Supervision" }, tags);
        Assert.Contains("Devoirs", tags);
    }
}
