using OpenIddict.Abstractions;
using Preau.Data.Apps;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Preau.Web.Features.Apps.Oidc;

/// <summary>
/// Keeps OpenIddict's client in step with the <see cref="ConnectedApp"/> the region saved: same client_id,
/// the exact redirect and post-logout URIs, confidential with its secret when it has one, else public.
/// Either way the code flow only, PKCE required.
/// </summary>
internal sealed class OidcRegistrar(IOpenIddictApplicationManager clients) : IAppRegistrar
{
    public async Task AppSavedAsync(ConnectedApp app, string? clientSecret, CancellationToken ct)
    {
        var existing = await clients.FindByClientIdAsync(app.ClientId, ct);
        if (app.Protocol != AppProtocol.OpenIdConnect)
        {
            if (existing is not null)
            {
                await clients.DeleteAsync(existing, ct);
            }
            return;
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        if (existing is not null)
        {
            // keeps the stored secret hash when no new secret was given
            await clients.PopulateAsync(descriptor, existing, ct);
        }
        descriptor.ClientId = app.ClientId;
        descriptor.DisplayName = app.Name;
        descriptor.ApplicationType = ApplicationTypes.Web;
        descriptor.ConsentType = ConsentTypes.Implicit;
        var confidential = clientSecret is not null || (app.ClientSecretHash is not null && descriptor.ClientSecret is not null);
        descriptor.ClientType = confidential ? ClientTypes.Confidential : ClientTypes.Public;
        if (clientSecret is not null)
        {
            descriptor.ClientSecret = clientSecret;
        }
        else if (!confidential)
        {
            descriptor.ClientSecret = null;
        }
        Replace(descriptor.RedirectUris, app.RedirectUris);
        Replace(descriptor.PostLogoutRedirectUris, app.PostLogoutRedirectUris);
        descriptor.Permissions.Clear();
        descriptor.Permissions.UnionWith([
            Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
            Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
            .. OidcClaims.Scopes.Where(s => s != Scopes.OpenId).Select(s => Permissions.Prefixes.Scope + s)]);
        descriptor.Requirements.Clear();
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);

        if (existing is null)
        {
            await clients.CreateAsync(descriptor, ct);
        }
        else
        {
            await clients.UpdateAsync(existing, descriptor, ct);
        }
    }

    public async Task AppDeletedAsync(ConnectedApp app, CancellationToken ct)
    {
        if (await clients.FindByClientIdAsync(app.ClientId, ct) is { } existing)
        {
            await clients.DeleteAsync(existing, ct);
        }
    }

    private static void Replace(HashSet<Uri> target, string? lines)
    {
        target.Clear();
        foreach (var line in (lines ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            target.Add(new Uri(line, UriKind.Absolute));
        }
    }
}
