using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Preau.Data.Directory;
using Preau.Web.Features.Accounts;

namespace Preau.Web.Features.Import;

internal static class ImportPolicies
{
    /// <summary>Who gives a lost activation code again: the secretariat and vie scolaire (staff), the head, a region admin.</summary>
    public const string CodeIssuers = "CodeIssuers";
}

internal static class ImportSetup
{
    public static WebApplicationBuilder AddImport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<SchoolImporter>();
        builder.Services.AddScoped<SchoolCodes>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(ImportPolicies.CodeIssuers, p => p.RequireClaim(PreauClaims.Profile,
            nameof(Profile.Staff), nameof(Profile.SchoolAdmin), nameof(Profile.RegionAdmin)));
        return builder;
    }

    public static WebApplication MapImport(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/accounts").WithTags("Comptes").RequireAuthorization(ImportPolicies.CodeIssuers);
        group.MapPost("/{personId:guid}/activation-code", ResetAsync).WithName("ResetActivationCode")
            .WithSummary("Nouveau code d'activation pour un élève ou un responsable de l'établissement (vie scolaire, secrétariat, direction ; " +
                "la direction aussi pour les enseignants et personnels). Région : ?school=UAI.");
        return app;
    }

    internal sealed record ResetDto(string Login, string Code, DateTimeOffset ExpiresAt);

    private static async Task<Results<Created<ResetDto>, ProblemHttpResult>> ResetAsync(Guid personId, ClaimsPrincipal user, SchoolCodes codes,
        CancellationToken ct, string? school = null)
    {
        var administered = await codes.SchoolOfAsync(user, school, ct);
        var issued = administered is null ? null : await codes.ResetAsync(user, administered, personId, ct);
        if (issued is null)
        {
            // Unknown and forbidden look the same: ids of other schools cannot be probed.
            return TypedResults.Problem("Cette personne n'est pas un élève ou un responsable de votre établissement.", statusCode: 404, title: "Introuvable");
        }

        var (holder, code, expires) = issued.Value;
        return TypedResults.Created((string?)null, new ResetDto(holder.Login, code, expires));
    }
}
