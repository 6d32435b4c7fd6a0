using System.Net;

namespace Preau.Surge.Journey;

/// <summary>A fully read answer (after redirects): what the person's browser ended up showing.</summary>
internal sealed class HttpAnswer(HttpStatusCode status, string? contentType, string body, IReadOnlyDictionary<string, string> headers)
{
    public HttpStatusCode Status => status;

    public int Code => (int)status;

    public string Body => body;

    public bool IsJson => contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

    public bool IsHtml => contentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true;

    public string? Header(string name) => headers.TryGetValue(name, out var value) ? value : null;

    public TimeSpan? RetryAfter => Header("Retry-After") is { } v && int.TryParse(v, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
}
