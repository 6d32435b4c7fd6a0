using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Seed;
using Preau.Web.Shared.Csv;

namespace Preau.IntegrationTests.Features.Seed;

/// <summary>Runs the real seed command against the test app's database, capturing what it prints.</summary>
internal static class SeedRun
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(PreauAppFactory app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SeedCommand.RunAsync(app.Services, args, output, error, interactive: false);
        return (code, output.ToString(), error.ToString());
    }

    public static async Task<T> QueryAsync<T>(PreauAppFactory app, Func<PreauDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PreauDbContext>());
    }

    public sealed record Line(string Login, string Secret, string Profile, string School, string Class);

    public static (string[] Header, List<Line> Lines) ReadCsv(string path)
    {
        using var text = new StreamReader(path);
        using var reader = SpreadsheetCsv.CreateReader(text);
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => SpreadsheetCsv.Restore(reader.GetString(i) ?? ""))]);
        }

        return ([.. reader.Headers], rows.Select(r => new Line(r[0], r[1], r[2], r[3], r[4])).ToList());
    }
}
