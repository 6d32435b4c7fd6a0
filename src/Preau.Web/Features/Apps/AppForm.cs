using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Preau.Data.Apps;
using Preau.Data.Directory;

namespace Preau.Web.Features.Apps;

/// <summary>
/// What the region administrator types about an app, kept as typed (so a refused form comes back whole), and
/// the rules it must follow before it is saved: addresses matched exactly later, so they must be exact now.
/// </summary>
internal sealed partial class AppForm
{
    public const int MaxUris = 20;
    private const int MaxUriLength = 2000;
    private const int MaxListLength = 4000;

    public string? Name { get; set; }
    public AppProtocol Protocol { get; set; } = AppProtocol.OpenIdConnect;
    public string? ClientId { get; set; }

    /// <summary>OpenID Connect only: no secret, the app proves itself with PKCE alone.</summary>
    public bool PublicClient { get; set; }

    public string? RedirectUris { get; set; }
    public string? PostLogoutRedirectUris { get; set; }
    public string? LogoutUri { get; set; }
    public string? LaunchUrl { get; set; }
    public List<string> Claims { get; set; } = [];
    public List<Profile> Profiles { get; set; } = [];

    public static readonly IReadOnlyDictionary<string, string> ClaimLabels = new Dictionary<string, string>
    {
        [AppClaims.Name] = "Nom et prénom",
        [AppClaims.Profile] = "Profil (élève, parent, professeur…)",
        [AppClaims.School] = "Établissement (UAI)",
        [AppClaims.Classes] = "Classes et groupes",
        [AppClaims.Children] = "Enfants (pour un parent)",
        [AppClaims.Login] = "Identifiant Préau",
    };

    public static readonly IReadOnlyDictionary<Profile, string> ProfileLabels = new Dictionary<Profile, string>
    {
        [Profile.Pupil] = "Élèves",
        [Profile.Parent] = "Parents",
        [Profile.Teacher] = "Professeurs",
        [Profile.Staff] = "Vie scolaire",
        [Profile.SchoolAdmin] = "Direction",
        [Profile.RegionAdmin] = "Administrateurs de la région",
    };

    public static string ProtocolLabel(AppProtocol protocol) => protocol == AppProtocol.Cas ? "CAS" : "OpenID Connect";

    /// <summary>A fresh form: a client_id the administrator may keep or change before the first save.</summary>
    public static AppForm New() => new()
    {
        ClientId = "app-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
        Claims = [AppClaims.Profile],
        Profiles = [Profile.Pupil],
    };

    public static AppForm From(ConnectedApp app) => new()
    {
        Name = app.Name,
        Protocol = app.Protocol,
        ClientId = app.ClientId,
        PublicClient = app.Protocol == AppProtocol.OpenIdConnect && app.ClientSecretHash is null,
        RedirectUris = app.RedirectUris,
        PostLogoutRedirectUris = app.PostLogoutRedirectUris,
        LogoutUri = app.LogoutUri,
        LaunchUrl = app.LaunchUrl,
        Claims = [.. ParseClaims(app.ReleasedClaims)],
        Profiles = [.. ParseProfiles(app.AllowedProfiles)],
    };

    public static IReadOnlySet<Profile> ParseProfiles(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Enum.TryParse<Profile>(p, out var profile) ? profile : (Profile?)null)
            .OfType<Profile>().ToHashSet();

    public static IEnumerable<string> ParseClaims(string stored) =>
        stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(AppClaims.All.Contains);

    /// <summary>The problems of the form, by field (the key of <see cref="ModelStateKey"/>); none means <see cref="ApplyTo"/> may run.</summary>
    public List<(string Field, string Message)> Validate(bool clientIdEditable)
    {
        var errors = new List<(string, string)>();
        var name = Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add((nameof(Name), "Indiquez le nom de l'application."));
        }
        else if (name.Length > 100)
        {
            errors.Add((nameof(Name), "Le nom ne doit pas dépasser 100 caractères."));
        }

        if (!Enum.IsDefined(Protocol))
        {
            errors.Add((nameof(Protocol), "Choisissez OpenID Connect ou CAS."));
        }

        if (clientIdEditable && !ClientIdPattern().IsMatch(ClientId?.Trim() ?? ""))
        {
            errors.Add((nameof(ClientId), "L'identifiant client (client_id) doit faire 3 à 100 caractères : lettres minuscules, chiffres, « . », « _ » ou « - »."));
        }

        CheckUris(errors, nameof(RedirectUris), RedirectUris, required: true,
            Protocol == AppProtocol.Cas ? "URL de service" : "URI de redirection");
        if (Protocol == AppProtocol.OpenIdConnect)
        {
            CheckUris(errors, nameof(PostLogoutRedirectUris), PostLogoutRedirectUris, required: false, "URI de retour après déconnexion");
        }

        CheckUris(errors, nameof(LogoutUri), LogoutUri, required: false, "URI de déconnexion", single: true);
        CheckUris(errors, nameof(LaunchUrl), LaunchUrl, required: true, "URL de lancement", single: true);
        if (Claims.Any(c => !AppClaims.All.Contains(c)))
        {
            errors.Add((nameof(Claims), "Une information transmise choisie n'existe pas."));
        }

        if (Profiles.Count == 0 || Profiles.Any(p => !Enum.IsDefined(p)))
        {
            errors.Add((nameof(Profiles), "Cochez au moins un profil autorisé."));
        }

        return errors;
    }

    public static string ModelStateKey(string field) => $"Form.{field}";

    /// <summary>Puts the problems next to their fields (and in the page's summary).</summary>
    public static void Report(ModelStateDictionary state, IEnumerable<(string Field, string Message)> errors)
    {
        foreach (var (field, message) in errors)
        {
            state.AddModelError(ModelStateKey(field), message);
        }
    }

    /// <summary>Copies the checked form onto the row (client_id only while it is still editable).</summary>
    public void ApplyTo(ConnectedApp app, bool clientIdEditable)
    {
        app.Name = Name!.Trim();
        app.Protocol = Protocol;
        if (clientIdEditable)
        {
            app.ClientId = ClientId!.Trim();
        }

        app.RedirectUris = string.Join('\n', Lines(RedirectUris));
        app.PostLogoutRedirectUris = Protocol == AppProtocol.OpenIdConnect && Lines(PostLogoutRedirectUris) is { Count: > 0 } back
            ? string.Join('\n', back) : null;
        app.LogoutUri = string.IsNullOrWhiteSpace(LogoutUri) ? null : LogoutUri.Trim();
        app.LaunchUrl = LaunchUrl!.Trim();
        app.ReleasedClaims = string.Join(' ', AppClaims.All.Where(Claims.Contains));
        app.AllowedProfiles = string.Join(',', Enum.GetValues<Profile>().Where(Profiles.Contains));
    }

    /// <summary>The non-empty lines, trimmed, each once, in the order typed.</summary>
    public static List<string> Lines(string? text) =>
        [.. (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private static void CheckUris(List<(string, string)> errors, string field, string? text, bool required, string what, bool single = false)
    {
        var lines = Lines(text);
        if (lines.Count == 0)
        {
            if (required)
            {
                errors.Add((field, $"Indiquez {(single ? "l'" : "au moins une ")}{what}."));
            }

            return;
        }

        if (single && lines.Count > 1)
        {
            errors.Add((field, $"Une seule {what}, sur une ligne."));
            return;
        }

        if (lines.Count > MaxUris)
        {
            errors.Add((field, $"Au plus {MaxUris} adresses ({what})."));
            return;
        }

        if (string.Join('\n', lines).Length > MaxListLength)
        {
            errors.Add((field, $"La liste ({what}) dépasse {MaxListLength} caractères."));
            return;
        }

        foreach (var line in lines)
        {
            if (UriProblem(line) is { } problem)
            {
                errors.Add((field, $"« {Shorten(line)} » ({what}) : {problem}"));
            }
        }
    }

    /// <summary>Why an address cannot be matched exactly and safely, or null when it can.</summary>
    public static string? UriProblem(string text)
    {
        if (text.Length > MaxUriLength)
        {
            return $"l'adresse dépasse {MaxUriLength} caractères.";
        }

        if (text.Contains('*', StringComparison.Ordinal))
        {
            return "les jokers (*) ne sont pas acceptés : indiquez chaque adresse exacte.";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || text.Any(char.IsWhiteSpace))
        {
            return "ce n'est pas une adresse complète (https://…).";
        }

        if (text.Contains('#', StringComparison.Ordinal))
        {
            return "une adresse ne peut pas contenir de fragment (#…).";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "une adresse ne peut pas contenir d'identifiant ni de mot de passe.";
        }

        var local = uri.IsLoopback && (uri.Host is "localhost" or "127.0.0.1" or "[::1]");
        if (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && local))
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp
            ? "l'adresse doit commencer par https:// (http:// seulement pour 127.0.0.1 ou localhost)."
            : "l'adresse doit commencer par https://.";
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "…";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{2,99}$")]
    private static partial Regex ClientIdPattern();
}
