using System.Text.RegularExpressions;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>Posts a Razor page form as a browser would: reads the page, keeps its antiforgery token.</summary>
public static partial class FormPost
{
    // postPath: where the form posts when not to path itself (a named handler).
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string path, IDictionary<string, string> fields, string? postPath = null)
    {
        var page = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        var token = TokenPattern().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {path}.");
        }

        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value };
        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync(new Uri(postPath ?? path, UriKind.Relative), content);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
