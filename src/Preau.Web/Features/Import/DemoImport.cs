namespace Preau.Web.Features.Import;

/// <summary>
/// The demo school's own SIECLE and STS-web exports (DemoFiles/, ISO-8859-15, UAI <see cref="Uai"/>), so
/// that the first start goes through the same import path as a real school. The caller creates the
/// region and the school, then imports: <c>await DemoImport.ImportAsync(services, schoolId, ct)</c>;
/// the report's NewAccounts holds every login with its one-time code.
/// </summary>
internal static class DemoImport
{
    public const string Uai = "0759999L";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Features", "Import", "DemoFiles");

    public static async Task<ImportReport> ImportAsync(IServiceProvider services, Guid schoolId, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<SchoolImporter>();
        await using var pupils = File.OpenRead(Path.Combine(Folder, "eleves.xml"));
        await using var guardians = File.OpenRead(Path.Combine(Folder, "responsables.xml"));
        await using var staff = File.OpenRead(Path.Combine(Folder, "sts.xml"));
        return await importer.ImportAsync(schoolId, new ImportSources(pupils, guardians, staff), dryRun: false, ct);
    }
}
