using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Import.Pages;

/// <summary>The head (or a region admin, ?ecole=UAI) prints a class's login cards. Printing issues new
/// codes: the previous cards of that class stop working.</summary>
[Authorize(Policies.Administration)]
internal sealed class LoginCardsModel(SchoolCodes codes, PreauDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "ecole")]
    public string? Uai { get; set; }

    public AdministeredSchool? School { get; private set; }
    public IReadOnlyList<(Guid Id, string Name, GroupKind Kind)> Groups { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if ((School = await codes.SchoolOfAsync(User, Uai, ct)) is null)
        {
            return NotFound();
        }

        var groups = await db.Groups.AsNoTracking().Where(g => g.SchoolId == School.Id).OrderBy(g => g.Kind).ThenBy(g => g.Name)
            .Select(g => new { g.Id, g.Name, g.Kind }).ToListAsync(ct);
        Groups = [.. groups.Select(g => (g.Id, g.Name, g.Kind))];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid groupId, CancellationToken ct)
    {
        if ((School = await codes.SchoolOfAsync(User, Uai, ct)) is null)
        {
            return NotFound();
        }

        var name = await db.Groups.AsNoTracking().Where(g => g.Id == groupId && g.SchoolId == School.Id).Select(g => g.Name).FirstOrDefaultAsync(ct);
        if (name is null)
        {
            return NotFound();
        }

        var cards = await codes.CardsForGroupAsync(User, School, groupId, ct);
        var pdf = new MemoryStream();
        LoginCards.Write(pdf, School.Name, name, Preau.Web.Shared.Http.PublicAddress.BaseUrl(HttpContext), cards);
        pdf.Position = 0;
        Response.Headers.CacheControl = "no-store";
        return File(pdf, "application/pdf", $"cartes-{School.Uai}-{ImportPlan.Slug(name)}.pdf");
    }
}
