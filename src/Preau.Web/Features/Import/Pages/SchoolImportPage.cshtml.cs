using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Preau.Web.Features.Accounts;
using Preau.Web.Infrastructure;

namespace Preau.Web.Features.Import.Pages;

/// <summary>
/// The head (or a region admin, with ?ecole=UAI) uploads the school's exports, reads the dry-run
/// report, then applies it. The uploaded files wait in the data directory under a random name
/// between the two steps, so applying does not ask for them again.
/// </summary>
[Authorize(Policies.Administration)]
[RequestSizeLimit(ImportPageLimits.MaxUpload)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportPageLimits.MaxUpload)]
internal sealed class SchoolImportModel(SchoolCodes schools, SchoolImporter importer, IOptions<StorageOptions> storage) : PageModel
{
    private static readonly string[] s_kinds = ["eleves", "responsables", "sts", "csv"];

    [BindProperty(SupportsGet = true, Name = "ecole")]
    public string? Uai { get; set; }

    public AdministeredSchool? School { get; private set; }
    public ImportReport? Report { get; private set; }
    public string? Pending { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        (School = await schools.SchoolOfAsync(User, Uai, ct)) is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostCheckAsync(IFormFile? eleves, IFormFile? responsables, IFormFile? sts, IFormFile? csv, CancellationToken ct)
    {
        if ((School = await schools.SchoolOfAsync(User, Uai, ct)) is null)
        {
            return NotFound();
        }

        var files = new[] { eleves, responsables, sts, csv };
        if (files.All(f => f is null || f.Length == 0))
        {
            return Refuse("Choisissez au moins un fichier : les exports SIECLE et STS-web, ou le fichier CSV.");
        }

        var token = Guid.NewGuid().ToString("N");
        var folder = Folder(token);
        Directory.CreateDirectory(folder);
        for (var i = 0; i < files.Length; i++)
        {
            if (files[i] is { Length: > 0 } file)
            {
                await using var target = System.IO.File.Create(Path.Combine(folder, s_kinds[i]));
                await file.CopyToAsync(target, ct);
            }
        }

        Report = await RunAsync(token, dryRun: true, ct);
        if (Report.Refused is not null)
        {
            Directory.Delete(folder, recursive: true);
            return Refuse(Report.Refused);
        }

        Pending = token;
        return Page();
    }

    public async Task<IActionResult> OnPostApplyAsync(string? pending, CancellationToken ct)
    {
        if ((School = await schools.SchoolOfAsync(User, Uai, ct)) is null)
        {
            return NotFound();
        }

        if (pending is null || pending.Length != 32 || !pending.All(char.IsAsciiHexDigitLower) || !Directory.Exists(Folder(pending)))
        {
            return Refuse("Ces fichiers ne sont plus disponibles : déposez-les à nouveau.");
        }

        Report = await RunAsync(pending, dryRun: false, ct);
        Directory.Delete(Folder(pending), recursive: true);
        return Report.Refused is null ? Page() : Refuse(Report.Refused);
    }

    private async Task<ImportReport> RunAsync(string token, bool dryRun, CancellationToken ct)
    {
        var folder = Folder(token);
        var streams = s_kinds.Select(k => Path.Combine(folder, k)).Select(p => System.IO.File.Exists(p) ? (Stream)System.IO.File.OpenRead(p) : null).ToArray();
        try
        {
            return await importer.ImportAsync(School!.Id, new ImportSources(streams[0], streams[1], streams[2], streams[3]), dryRun, ct);
        }
        finally
        {
            foreach (var stream in streams)
            {
                stream?.Dispose();
            }
        }
    }

    // One folder per school: a token from another school's page finds nothing here.
    private string Folder(string token) => Path.Combine(storage.Value.FullDataDirectory, "imports", School!.Uai, token);

    private PageResult Refuse(string message)
    {
        Error = message;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}

internal static class ImportPageLimits
{
    /// <summary>A 3,000-pupil collège's SIECLE export is a few MB; a region-sized file goes through the command.</summary>
    public const long MaxUpload = 30 * 1024 * 1024;
}
