using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.News.Pages;

/// <summary>Who has and has not read: the author and the school's staff only (others: not found).</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class NewsReceiptsModel(NewsService news) : PageModel
{
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public ReceiptReport? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Report = await news.ReceiptsAsync(User.GetPersonId(), id, PageNumber, ct);
        return Report is null ? NotFound() : Page();
    }
}
