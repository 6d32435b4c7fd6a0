using System.Diagnostics;
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
        Assert.Subset(new HashSet<string> { "Absences", "Actualités", "Applications", "Comptes", "Connexion", "Devoirs", "Emploi du temps", "Fil d'actualité", "Messagerie", "Mon compte", "Supervision", "Évaluations" }, tags);
        Assert.Contains("Devoirs", tags);
    }

    [Fact]
    public async Task Document_ProtectedOperations_CookieSchemeAnd401Problem_AnonymousOnesNot_NoRequestServer()
    {
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();

        var doc = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("cookie");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("cookie", scheme.GetProperty("in").GetString());
        Assert.Equal("preau", scheme.GetProperty("name").GetString());
        var me = Operation(doc, "/api/v1/me", "get");
        Assert.True(me.GetProperty("security")[0].TryGetProperty("cookie", out _));
        Assert.True(me.GetProperty("responses").GetProperty("401").GetProperty("content").TryGetProperty("application/problem+json", out _));
        var news = Operation(doc, "/api/v1/news", "post");
        Assert.True(news.GetProperty("responses").TryGetProperty("403", out _));
        var hello = Operation(doc, "/api/v1/hello", "get");
        Assert.Empty(Assert.Single(hello.GetProperty("security").EnumerateArray()).EnumerateObject());
        var operations = doc.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _)).Select(o => o.Value).ToList();
        Assert.All(operations, o => Assert.False(string.IsNullOrEmpty(o.GetProperty("summary").GetString())));
        var ids = operations.Select(o => o.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.DoesNotContain("localhost", doc.GetProperty("servers").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_RedoclyRecommendedRules_NoError()
    {
        var redocly = Environment.GetEnvironmentVariable("PREAU_TEST_REDOCLY");
        Assert.True(File.Exists(redocly), "PREAU_TEST_REDOCLY must name Redocly CLI: run the tests with ./test.sh, which installs it.");
        await using var db = TestDatabase.Create("Sqlite");
        await using var app = new PreauAppFactory(db);
        using var client = app.CreateClient();
        var file = Path.Combine(db.DataDirectory, "openapi.json");
        await File.WriteAllTextAsync(file, await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var start = new ProcessStartInfo(redocly!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "lint", file, "--extends", "recommended", "--format", "summary" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["REDOCLY_TELEMETRY"] = "off";
        using var lint = Process.Start(start)!;
        var output = lint.StandardOutput.ReadToEndAsync();
        var errors = lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync();

        Assert.True(lint.ExitCode == 0, $"redocly lint ({lint.ExitCode}):\n{await output}\n{await errors}");
    }

    private static JsonElement Operation(JsonElement doc, string path, string method) =>
        doc.GetProperty("paths").EnumerateObject().First(p => p.Name.TrimEnd('/') == path).Value.GetProperty(method);
}
