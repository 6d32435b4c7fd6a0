using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Preau.Data;
using Preau.Data.Apps;
using Preau.IntegrationTests.Infrastructure;

namespace Preau.IntegrationTests.Features.Apps.Cas;

/// <summary>CAS apps declared straight in the database (the region administrator's page is another feature),
/// and the calls an app makes.</summary>
internal static class CasTestApps
{
    public static readonly XNamespace CasNs = "http://www.yale.edu/tp/cas";

    public static async Task<Guid> DeclareAsync(IServiceProvider services, TestSchools schools, string service,
        string profiles = "Pupil", string claims = "name profile school classes children", string? logoutUri = null, bool enabled = true)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var app = new ConnectedApp
        {
            RegionId = schools.RegionId,
            Name = "Manuels numériques",
            Protocol = AppProtocol.Cas,
            ClientId = "manuels-" + Guid.NewGuid().ToString("N")[..8],
            RedirectUris = service,
            LaunchUrl = service,
            LogoutUri = logoutUri,
            ReleasedClaims = claims,
            AllowedProfiles = profiles,
            Enabled = enabled,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.ConnectedApps.Add(app);
        await db.SaveChangesAsync();
        return app.Id;
    }

    /// <summary>A browser of <paramref name="login"/> (signed in when a login is given), redirects not followed.</summary>
    public static async Task<HttpClient> BrowserAsync(PreauAppFactory app, string? login)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (login is not null)
        {
            await TestSchools.LoginAsync(client, login);
        }
        return client;
    }

    /// <summary>/cas/login for <paramref name="service"/>: the ticket Préau redirected to the service with.</summary>
    public static async Task<string> TicketAsync(HttpClient browser, string service)
    {
        using var response = await browser.GetAsync(LoginUri(service));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(service + "?ticket=ST-", location, StringComparison.Ordinal);
        var ticket = Uri.UnescapeDataString(location[(service.Length + "?ticket=".Length)..]);
        Assert.Matches("^ST-[A-Za-z0-9]{43}$", ticket); // the specification's alphabet, 256 random bits
        return ticket;
    }

    public static Uri LoginUri(string service, string extra = "") =>
        new($"/cas/login?service={Uri.EscapeDataString(service)}{extra}", UriKind.Relative);

    /// <summary>What an app reads back from a validation route: the cas:serviceResponse document.</summary>
    public static async Task<XElement> ValidateAsync(HttpClient app, string route, string? ticket, string? service)
    {
        var query = new List<string>();
        if (ticket is not null)
        {
            query.Add("ticket=" + Uri.EscapeDataString(ticket));
        }
        if (service is not null)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }
        using var response = await app.GetAsync(new Uri($"{route}?{string.Join('&', query)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return XElement.Parse(await response.Content.ReadAsStringAsync());
    }

    public static string? FailureCode(XElement response) =>
        response.Element(CasNs + "authenticationFailure")?.Attribute("code")?.Value;
}
