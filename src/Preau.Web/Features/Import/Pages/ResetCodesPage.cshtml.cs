using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Preau.Web.Features.Import.Pages;

/// <summary>The secretariat, the vie scolaire or the head gives a new activation code to a pupil or a
/// guardian of the school who lost theirs (the head: to teachers and staff too).</summary>
[Authorize(ImportPolicies.CodeIssuers)]
internal sealed class ResetCodesModel(SchoolCodes codes) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "ecole")]
    public string? Uai { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public AdministeredSchool? School { get; private set; }
    public IReadOnlyList<CodeHolder> Holders { get; private set; } = [];
    public CodeHolder? Issued { get; private set; }
    public string? Code { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if ((School = await codes.SchoolOfAsync(User, Uai, ct)) is null)
        {
            return NotFound();
        }

        await SearchAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid personId, CancellationToken ct)
    {
        if ((School = await codes.SchoolOfAsync(User, Uai, ct)) is null)
        {
            return NotFound();
        }

        var issued = await codes.ResetAsync(User, School, personId, ct);
        if (issued is null)
        {
            return NotFound();
        }

        (Issued, Code, ExpiresAt) = issued.Value;
        await SearchAsync(ct);
        return Page();
    }

    private async Task SearchAsync(CancellationToken ct)
    {
        var text = Query?.Trim() ?? "";
        if (text.Length < 2)
        {
            return;
        }

        // Logins are lower-case ASCII: the slug of what was typed finds "coeur" for "Cœur" as well.
        var pattern = $"%{ImportPlan.Slug(text)}%";
        var name = $"%{text}%";
        Holders = await codes.Holders(School!.Id, SchoolCodes.MayResetAdults(User))
            .Where(h => EF.Functions.Like(h.Login, pattern) || EF.Functions.Like(h.LastName, name) || EF.Functions.Like(h.FirstName, name))
            .OrderBy(h => h.LastName).ThenBy(h => h.FirstName).Take(PageSize).ToListAsync(ct);
    }
}
