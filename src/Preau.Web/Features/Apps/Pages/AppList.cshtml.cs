using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Apps.Pages;

/// <summary>The apps the region administrator declared for their region, and nobody else's.</summary>
[Authorize(Policy = Policies.RegionAdmin)]
internal sealed class AppListModel(AppRegistry registry) : PageModel
{
    public IReadOnlyList<AppSummary> Apps { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Apps = await registry.ListAsync(User.GetRegionId(), ct);

    public static string ProfilesText(string stored) =>
        string.Join(", ", AppForm.ParseProfiles(stored).Order().Select(p => AppForm.ProfileLabels[p]));
}
