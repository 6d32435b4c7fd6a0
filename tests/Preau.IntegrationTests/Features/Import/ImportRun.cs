using Preau.IntegrationTests.Infrastructure;
using Preau.Web.Features.Import;

namespace Preau.IntegrationTests.Features.Import;

/// <summary>Runs the real import command on the test app's database, with the sample files written for the tests.</summary>
internal static class ImportRun
{
    public const string Uai = "0750001A";

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Features", "Import", "Samples", name);

    public static async Task<(int Code, string Output, string Error)> RunAsync(PreauAppFactory app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ImportCommand.RunAsync(app.Services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The three SIECLE/STS-web files of school 0750001A, creating the school on a first run.</summary>
    public static Task<(int Code, string Output, string Error)> SiecleAsync(PreauAppFactory app, string eleves = "eleves-0750001A.xml",
        params string[] extra) =>
        RunAsync(app, ["--school", Uai, "--create-school", "Collège Jean Moulin", "--eleves", Sample(eleves),
            "--responsables", Sample("responsables-0750001A.xml"), "--sts", Sample("sts-0750001A.xml"), .. extra]);
}
