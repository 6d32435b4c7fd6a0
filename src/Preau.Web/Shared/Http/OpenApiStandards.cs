using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Preau.Gate;

namespace Preau.Web.Shared.Http;

/// <summary>
/// An OpenAPI document that tells the truth about access: the session cookie as a security scheme on
/// every operation that needs a signed-in caller, with the 401 (and 403 for a restricted profile) it then
/// really answers as ProblemDetails; a server address that does not come from the request.
/// </summary>
internal static class OpenApiStandards
{
    public const string CookieScheme = "cookie";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer(HeadOperations.DropAsync);
        options.AddDocumentTransformer(DescribeDocumentAsync);
        options.AddOperationTransformer(DescribeAccessAsync);
        options.AddOperationTransformer(DescribeLimitsAsync);
        options.AddOperationTransformer(NameAsync);
    }

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        // The host the document was fetched through says nothing about where Préau lives: paths are relative.
        document.Servers = [new OpenApiServer { Url = "/" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "preau",
            Description = "Cookie de session, obtenu par POST /api/v1/auth/login (ou le formulaire /connexion).",
        };
        return Task.CompletedTask;
    }

    private static async Task DescribeAccessAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count == 0 || metadata.OfType<IAllowAnonymous>().Any())
        {
            // Stated, not left out: an empty requirement means "no credentials needed".
            operation.Security = [new OpenApiSecurityRequirement()];
            return;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] });
        operation.Responses ??= [];
        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        operation.Responses.TryAdd("401", Problem(problem, "Connexion nécessaire : cookie de session absent ou expiré."));
        // Any policy beyond "signed in" restricts the profile: someone signed in with another one gets a 403.
        if (authorize.Any(a => a.Policy is { } policy && policy != "SignedIn" || !string.IsNullOrEmpty(a.Roles)))
        {
            operation.Responses.TryAdd("403", Problem(problem, "Accès refusé à ce profil."));
        }
    }

    /// <summary>
    /// What any operation can meet before its handler runs: 404 for an id that is not there, 400, 413 and 415
    /// for a body unreadable, too large or of another
    /// type, 429 from the gate's per-address and per-account limits (and the sign-in throttle), 503 when the
    /// gate queues the caller (or, on the sign-in paths, the password-hashing lane is full). Machine paths and
    /// the gate's own routes are never queued, so they document no 503.
    /// </summary>
    private static async Task DescribeLimitsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        operation.Responses ??= [];
        if (operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true)
        {
            operation.Responses.TryAdd("404", Problem(problem, "Introuvable, ou hors de portée de ce compte."));
        }

        if (operation.RequestBody is not null)
        {
            operation.Responses.TryAdd("400", Problem(problem, "Demande incorrecte (corps illisible ou champs invalides)."));
            operation.Responses.TryAdd("413", Problem(problem, "Demande trop volumineuse."));
            operation.Responses.TryAdd("415", Problem(problem, "Format de contenu non accepté (en-tête Content-Type)."));
        }

        operation.Responses.TryAdd("429", Problem(problem, "Trop de demandes : réessayer après le délai de Retry-After.", retryAfter: true));
        var gate = context.ApplicationServices.GetRequiredService<IOptions<GateOptions>>().Value;
        var path = "/" + context.Description.RelativePath;
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<SkipGateMetadata>().Any()
            || gate.BypassPaths.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        var signIn = gate.SignInPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));
        operation.Responses.TryAdd("503", Problem(problem, signIn
            ? "Préau est très sollicité : la connexion attend son tour, réessayer après Retry-After."
            : "Préau est très sollicité : file d'attente, revenir après le délai de Retry-After.", retryAfter: true));
    }

    /// <summary>Operations the endpoint did not name get a stable id and a summary from their method and route
    /// (an explicit <c>WithName</c>/<c>WithSummary</c> wins).</summary>
    private static Task NameAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var method = context.Description.HttpMethod ?? "GET";
        var path = context.Description.RelativePath ?? "";
        operation.OperationId ??= OperationId(method, path);
        operation.Summary ??= $"{Verb(method)} /{path.TrimEnd('/')}";
        return Task.CompletedTask;
    }

    /// <summary>"GET", "api/v1/messages/{id}/reply" → "getApiV1MessagesByIdReply".</summary>
    private static string OperationId(string method, string path)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment.StartsWith('{'))
            {
                id.Append("By");
            }

            foreach (var word in s_nonWord.Split(segment.Split(':')[0]).Where(w => w.Length > 0))
            {
                id.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
            }
        }

        return id.ToString();
    }

    private static readonly System.Text.RegularExpressions.Regex s_nonWord = new("[^A-Za-z0-9]+", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string Verb(string method) => method.ToUpperInvariant() switch
    {
        "GET" => "Lire",
        "POST" => "Envoyer",
        "PUT" => "Remplacer",
        "PATCH" => "Modifier",
        "DELETE" => "Supprimer",
        _ => method,
    };

    private static OpenApiResponse Problem(OpenApiSchema schema, string description, bool retryAfter = false) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
        Headers = retryAfter
            ? new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Secondes à attendre avant de réessayer.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                },
            }
            : null,
    };
}
