using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Messaging;

namespace Preau.Web.Features.News.Pages;

/// <summary>The news addressed to the reader (and those they wrote).</summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class NewsListModel(NewsService news) : PageModel
{
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Paged<NewsSummary> News { get; private set; } = new([], 1, 20, false);

    public bool CanPublish => User.GetProfile() is Profile.Teacher or Profile.Staff or Profile.SchoolAdmin;

    public async Task OnGetAsync(CancellationToken ct) => News = await news.ListAsync(User.GetPersonId(), PageNumber, ct);
}
