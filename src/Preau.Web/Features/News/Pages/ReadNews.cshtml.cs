using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.News.Pages;

/// <summary>Reading a news item records the read; anyone outside its audience gets "not found".</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class ReadNewsModel(NewsService news) : PageModel
{
    public NewsView? Item { get; private set; }
    public bool Created { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, [FromQuery(Name = "publiee")] bool created, CancellationToken ct)
    {
        Item = await news.GetAsync(User.GetPersonId(), id, ct);
        Created = created;
        return Item is null ? NotFound() : Page();
    }
}
