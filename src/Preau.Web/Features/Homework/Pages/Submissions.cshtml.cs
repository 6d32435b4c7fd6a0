using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Homework.Pages;

/// <summary>The class's teacher in this subject: who handed in, late or not at all, with the archive of everything.</summary>
[Authorize(Policy = Policies.Teacher)]
internal sealed class SubmissionsModel(HandInService service) : PageModel
{
    public HandInEntry? Entry { get; private set; }

    public IReadOnlyList<SubmissionView> Views { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var scope = await service.ResolveAsync(User, id, null, ct);
        if (scope is not { Profile: Profile.Teacher })
        {
            return NotFound();
        }

        Entry = scope.Entry;
        Views = await service.ViewsAsync(scope.Entry, null, ct);
        return Page();
    }
}
