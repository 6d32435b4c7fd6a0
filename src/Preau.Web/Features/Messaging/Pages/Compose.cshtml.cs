using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Messaging.Pages;

/// <summary>
/// Writing a message. Works without JavaScript: every button (search, save, send) posts the whole
/// form and saves the draft first, so nothing typed is lost; a tiny optional script also saves it
/// every few seconds. The picker lists only what <see cref="CommunicationRules"/> allow, and the
/// send goes through the same check on the server.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
internal sealed class ComposeModel(MessagingService messages, CommunicationDirectory directory, MessageAttachments attachments,
    IOptions<MessagingOptions> options) : PageModel
{
    public const int PickerSize = 50;

    [BindProperty]
    public Guid? DraftId { get; set; }

    [BindProperty]
    public Guid? ForwardOf { get; set; }

    [BindProperty]
    public List<string> To { get; set; } = [];

    [BindProperty]
    [MaxLength(200, ErrorMessage = "L'objet ne doit pas dépasser 200 caractères.")]
    public string? Subject { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public IReadOnlyList<AttachmentInfo> Attachments { get; private set; } = [];
    public List<AudienceChoice> Selected { get; private set; } = [];
    public List<AudienceChoice> Audiences { get; private set; } = [];
    public List<AudienceChoice> People { get; private set; } = [];
    public int PeopleTotal { get; private set; }
    public List<string> Errors { get; } = [];
    public string? Notice { get; private set; }
    public int AutosaveSeconds => options.Value.AutosaveSeconds;

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "brouillon")] Guid? draft, [FromQuery(Name = "transfert")] Guid? forward,
        [FromQuery(Name = "enregistre")] bool saved, CancellationToken ct)
    {
        if (draft is { } id)
        {
            var d = await messages.GetDraftAsync(User.GetPersonId(), id, ct);
            if (d is null)
            {
                return NotFound();
            }

            (DraftId, Subject, Body, To) = (d.Id, d.Subject, d.Body, d.To.ToList());
        }

        if (forward is { } f)
        {
            var original = await messages.GetAsync(User.GetPersonId(), f, ct);
            if (original is null)
            {
                return NotFound();
            }

            ForwardOf = f;
            Subject ??= "TR : " + original.Subject;
        }

        Notice = saved ? "Brouillon enregistré." : null;
        await LoadPickerAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (await SaveAsync(ct) is not { } id)
        {
            return NotFound();
        }

        return Redirect($"/messagerie/ecrire?brouillon={id}&enregistre=true{(ForwardOf is { } f ? $"&transfert={f}" : "")}");
    }

    public async Task<IActionResult> OnPostSearchAsync(CancellationToken ct)
    {
        if (await SaveAsync(ct) is not { } id)
        {
            return NotFound();
        }

        return Redirect($"/messagerie/ecrire?brouillon={id}&q={Uri.EscapeDataString(Search ?? "")}{(ForwardOf is { } f ? $"&transfert={f}" : "")}");
    }

    public async Task<IActionResult> OnPostAttachAsync(CancellationToken ct)
    {
        if (await SaveAsync(ct) is not { } id)
        {
            return NotFound();
        }

        var result = await attachments.AddToDraftAsync(User.GetPersonId(), id, Upload, ct);
        if (result.Status == AttachmentStatus.Saved)
        {
            return Redirect($"/messagerie/ecrire?brouillon={id}{(ForwardOf is { } f ? $"&transfert={f}" : "")}");
        }

        Errors.Add(result.Error ?? "Brouillon introuvable.");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadPickerAsync(ct);
        return Page();
    }

    /// <summary>Called by the optional autosave script; answers the draft id to reuse.</summary>
    public async Task<IActionResult> OnPostAutosaveAsync(CancellationToken ct) =>
        await SaveAsync(ct) is { } id ? new JsonResult(new { id }) : NotFound();

    public async Task<IActionResult> OnPostSendAsync(CancellationToken ct)
    {
        // Saved first: if sending is refused or the server stops, the text is still there.
        if (await SaveAsync(ct) is not { } id)
        {
            return NotFound();
        }

        var result = await messages.SendAsync(User.GetPersonId(), To, Subject, Body, id, ForwardOf, ct);
        if (SendOutcome.Answer(result, Errors, Response) is { } answer)
        {
            return answer;
        }

        await LoadPickerAsync(ct);
        return Page();
    }

    private async Task<Guid?> SaveAsync(CancellationToken ct)
    {
        DraftId = await messages.SaveDraftAsync(User.GetPersonId(), DraftId, Subject, Body, To, null, ct);
        return DraftId;
    }

    private async Task LoadPickerAsync(CancellationToken ct)
    {
        var sender = await directory.LoadAsync(User.GetPersonId(), ct);
        if (sender is null)
        {
            return;
        }

        if (DraftId is { } draftId && await messages.GetDraftAsync(User.GetPersonId(), draftId, ct) is { } draft)
        {
            Attachments = draft.Attachments;
        }

        var (audiences, people, total) = await directory.ChoicesAsync(sender, Search, 0, PickerSize, ct);
        var selected = To.Select(t => AudienceToken.TryParse(t, out var token) ? token : null).OfType<AudienceToken>().Distinct().ToList();
        Selected = await directory.LabelsAsync(selected, ct);
        var chosen = Selected.Select(s => s.Token).ToHashSet();
        Audiences = audiences.Where(a => !chosen.Contains(a.Token)).ToList();
        People = people.Where(p => !chosen.Contains(p.Token)).ToList();
        PeopleTotal = total;
    }
}
