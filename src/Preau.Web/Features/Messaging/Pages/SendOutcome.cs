using Microsoft.AspNetCore.Mvc;

namespace Preau.Web.Features.Messaging.Pages;

/// <summary>What a page answers to a send or a reply, in one place for the compose and read pages.</summary>
internal static class SendOutcome
{
    /// <summary>The redirect to the sent message or a 404; null when the page is shown again with
    /// <paramref name="errors"/> filled (and 403 when a recipient was refused).</summary>
    public static IActionResult? Answer(SendResult result, List<string> errors, HttpResponse response)
    {
        switch (result.Status)
        {
            case SendStatus.Sent:
                return new RedirectResult($"/messagerie/{result.MessageId}?envoye=true");
            case SendStatus.Invalid:
                errors.AddRange(result.Errors!.Values.SelectMany(v => v));
                return null;
            case SendStatus.Refused:
                errors.Add(result.Detail!);
                response.StatusCode = StatusCodes.Status403Forbidden;
                return null;
            default:
                return new NotFoundResult();
        }
    }
}
