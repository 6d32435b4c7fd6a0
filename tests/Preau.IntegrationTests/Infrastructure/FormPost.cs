using System.Text.RegularExpressions;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>Posts a Razor page form as a browser would: reads the page, keeps its antiforgery token.</summary>
public static partial class FormPost
{
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string path, IDictionary<string, string> fields, string? handler = null)
    {
        var page = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        var token = TokenPattern().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {path}.");
        }

        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value };
        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync(HandlerUri(path, handler), content);
    }

    /// <summary>The same for a form with a file input (multipart), posted to one of the page's handlers.</summary>
    public static Task<HttpResponseMessage> SubmitWithFileAsync(HttpClient client, string path, string? handler,
        IEnumerable<KeyValuePair<string, string>> fields, string fileField, string fileName, byte[] bytes) =>
        SubmitWithFilesAsync(client, path, handler, fields, [(fileField, fileName, bytes)]);

    /// <summary>A multipart form with any number of files. The token is read from <paramref name="tokenFrom"/>
    /// when the target page itself is refused to this user (the token belongs to the user, not to a page).</summary>
    public static async Task<HttpResponseMessage> SubmitWithFilesAsync(HttpClient client, string path, string? handler,
        IEnumerable<KeyValuePair<string, string>> fields, IEnumerable<(string Field, string FileName, byte[] Bytes)> files, string? tokenFrom = null)
    {
        var page = await client.GetStringAsync(new Uri(tokenFrom ?? path, UriKind.Relative));
        var token = TokenPattern().Match(page);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {tokenFrom ?? path}.");
        }

        using var form = new MultipartFormDataContent { { new StringContent(token.Groups[1].Value), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        foreach (var (field, fileName, bytes) in files)
        {
            form.Add(new ByteArrayContent(bytes), field, fileName);
        }

        return await client.PostAsync(HandlerUri(path, handler), form);
    }

    private static Uri HandlerUri(string path, string? handler) =>
        new(handler is null ? path : $"{path}?handler={handler}", UriKind.Relative);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
