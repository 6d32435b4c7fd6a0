using System.Net;
using System.Text.RegularExpressions;

namespace Preau.IntegrationTests.Features.Accounts.External;

/// <summary>
/// A browser without JavaScript: one cookie jar for every host, follows the real redirects itself
/// (so a test can see, keep and replay each step) and posts LemonLDAP::NG's login form.
/// </summary>
internal sealed partial class Browser : IDisposable
{
    private readonly HttpClient _client;

    public Browser()
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public CookieContainer Cookies { get; }

    /// <summary>Every URL requested, in order.</summary>
    public List<Uri> Visited { get; } = [];

    public Task<HttpResponseMessage> GetAsync(Uri url) => FollowAsync(new HttpRequestMessage(HttpMethod.Get, url));

    /// <summary>One request, its redirect not followed.</summary>
    public Task<HttpResponseMessage> GetOnceAsync(Uri url) => FollowAsync(new HttpRequestMessage(HttpMethod.Get, url), follow: false);

    /// <summary>Fills the provider's login form (on <paramref name="loginPage"/>, whose address is
    /// <paramref name="pageUrl"/>) with its hidden fields kept, posts it and follows the redirects.</summary>
    public Task<HttpResponseMessage> SubmitLoginAsync(Uri pageUrl, string loginPage, string user, string password)
    {
        var form = Regex.Match(loginPage, "<form[^>]*id=\"lform\"[^>]*action=\"([^\"]*)\"[\\s\\S]*?</form>");
        Assert.True(form.Success, "No LemonLDAP::NG login form on the page:\n" + loginPage);
        var fields = new Dictionary<string, string>();
        foreach (Match hidden in HiddenInput().Matches(form.Value))
        {
            fields[hidden.Groups["name"].Value] = WebUtility.HtmlDecode(hidden.Groups["value"].Value);
        }

        fields["user"] = user;
        fields["password"] = password;
        var action = form.Groups[1].Value is "#" or "" ? pageUrl : new Uri(pageUrl, WebUtility.HtmlDecode(form.Groups[1].Value));
        return FollowAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) });
    }

    private async Task<HttpResponseMessage> FollowAsync(HttpRequestMessage request, bool follow = true)
    {
        for (var hops = 0; hops < 20; hops++)
        {
            Visited.Add(request.RequestUri!);
            // plackup's one-process server drops idle connections: never reuse one.
            request.Headers.ConnectionClose = true;
            var response = await SendAsync(request);
            if (!follow || (int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is null)
            {
                return response;
            }

            var next = response.Headers.Location.IsAbsoluteUri ? response.Headers.Location : new Uri(request.RequestUri!, response.Headers.Location);
            response.Dispose();
            request = new HttpRequestMessage(HttpMethod.Get, next);
        }

        throw new InvalidOperationException("Too many redirects: " + string.Join(" → ", Visited));
    }

    /// <summary>plackup's one-process server sometimes resets a connection under load. A request to it
    /// is sent again (a real browser retries too, and the provider's login form can be posted twice);
    /// a request to Préau never is. A failure names the request and its cause.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        for (var attempt = 1; ; attempt++)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync();
            try
            {
                return await _client.SendAsync(request);
            }
            catch (HttpRequestException failure)
            {
                var toPreau = request.RequestUri!.Authority != RetriedAuthority;
                if (toPreau || attempt >= 3)
                {
                    throw new HttpRequestException(
                        $"{request.Method} {request.RequestUri} failed (attempt {attempt}): {Causes(failure)}", failure);
                }

                await Task.Delay(500);
                var again = new HttpRequestMessage(request.Method, request.RequestUri);
                if (body is not null)
                {
                    again.Content = new ByteArrayContent(body);
                    again.Content.Headers.ContentType = request.Content!.Headers.ContentType;
                }

                again.Headers.ConnectionClose = true;
                request = again;
            }
        }
    }

    /// <summary>The provider's host and port: its requests are retried.</summary>
    public string? RetriedAuthority { get; init; }

    private static string Causes(Exception failure)
    {
        var causes = new List<string>();
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            causes.Add($"{e.GetType().Name}: {e.Message}");
        }

        return string.Join(" ← ", causes);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}
