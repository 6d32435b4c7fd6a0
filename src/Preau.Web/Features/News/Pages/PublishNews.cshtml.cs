using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Preau.Web.Features.Accounts;
using Preau.Web.Features.Messaging;

namespace Preau.Web.Features.News.Pages;

/// <summary>Publishing: teachers to the classes they teach, staff to their school; the audiences
/// offered and accepted come from the same communication rules as messages.</summary>
[Authorize(Policy = Policies.SchoolStaff)]
internal sealed class PublishNewsModel(NewsService news, CommunicationDirectory directory, TimeProvider clock) : PageModel
{
    [BindProperty]
    [MaxLength(200, ErrorMessage = "Le titre ne doit pas dépasser 200 caractères.")]
    public string? Title { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    [BindProperty]
    public List<string> Audience { get; set; } = [];

    [BindProperty]
    public DateTime? VisibleFrom { get; set; }

    [BindProperty]
    public DateTime? VisibleUntil { get; set; }

    [BindProperty]
    public bool ReceiptRequired { get; set; }

    public List<AudienceChoice> Choices { get; private set; } = [];
    public List<string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadChoicesAsync(ct);
        return Choices.Count == 0 ? StatusCode(StatusCodes.Status403Forbidden) : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Errors.Add("Certaines valeurs sont incorrectes (dates ou titre).");
        }
        else
        {
            var result = await news.CreateAsync(User.GetPersonId(), Title, Body, Audience, Local(VisibleFrom), Local(VisibleUntil), ReceiptRequired, ct);
            switch (result.Status)
            {
                case NewsStatus.Created:
                    return Redirect($"/actualites/{result.Id}?publiee=true");
                case NewsStatus.Invalid:
                    Errors.AddRange(result.Errors!.Values.SelectMany(v => v));
                    break;
                default:
                    Errors.Add(result.Detail!);
                    Response.StatusCode = StatusCodes.Status403Forbidden;
                    break;
            }
        }

        await LoadChoicesAsync(ct);
        return Page();
    }

    // The form's datetime-local has no offset: it is the school's (the server's) local time.
    private DateTimeOffset? Local(DateTime? value) =>
        value is { } v ? new DateTimeOffset(v, clock.LocalTimeZone.GetUtcOffset(v)) : null;

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        var me = await directory.LoadAsync(User.GetPersonId(), ct);
        if (me is null || me.SchoolId is null)
        {
            return;
        }

        Choices = await directory.AudienceChoicesAsync(me, ct);
    }
}
