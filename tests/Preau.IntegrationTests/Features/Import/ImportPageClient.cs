using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Preau.IntegrationTests.Features.Import;

/// <summary>Uploads files to a Razor page form as a browser does: the page's antiforgery token, multipart body.</summary>
internal static partial class ImportPageClient
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"pending\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex PendingPattern();

    public static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        return TokenPattern().Match(page).Groups[1].Value;
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string query, params (string Field, string File)[] files)
    {
        var token = await TokenAsync(client, "/etablissement/import" + query);
        using var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (field, file) in files)
        {
            var bytes = new ByteArrayContent(await File.ReadAllBytesAsync(ImportRun.Sample(file)));
            bytes.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            content.Add(bytes, field, file);
        }

        var separator = query.Length == 0 ? "?" : "&";
        return await client.PostAsync(new Uri($"/etablissement/import{query}{separator}handler=Check", UriKind.Relative), content);
    }

    public static string? Pending(string html) => PendingPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : null;

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pagePath, string postPath, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await TokenAsync(client, pagePath);
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(postPath, UriKind.Relative), content);
    }
}
