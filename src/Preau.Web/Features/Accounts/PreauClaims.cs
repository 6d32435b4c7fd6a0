using System.Security.Claims;
using Preau.Data.Directory;

namespace Preau.Web.Features.Accounts;

/// <summary>The claims a Préau session cookie carries, and typed access to them.</summary>
internal static class PreauClaims
{
    public const string PersonId = "sub";
    public const string Profile = "profile";
    public const string SchoolId = "school";
    public const string RegionId = "region";
    public const string SecurityStamp = "stamp";
    public const string Name = "name";

    public static Guid GetPersonId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(PersonId), out var id) ? id : Guid.Empty;

    public static Profile? GetProfile(this ClaimsPrincipal user) =>
        Enum.TryParse<Profile>(user.FindFirstValue(Profile), out var p) ? p : null;

    public static Guid? GetSchoolId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SchoolId), out var id) ? id : null;

    public static Guid GetRegionId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(RegionId), out var id) ? id : Guid.Empty;
}
