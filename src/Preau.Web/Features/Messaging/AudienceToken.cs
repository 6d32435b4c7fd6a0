using System.Diagnostics.CodeAnalysis;
using Preau.Data.Directory;

namespace Preau.Web.Features.Messaging;

/// <summary>
/// An audience as the API and the forms carry it: "person:{id}", "pupils:{groupId}",
/// "parents:{groupId}", "school:{schoolId}:{Profile}". Strings because a plain HTML form
/// posts a list of checkbox values.
/// </summary>
internal readonly record struct AudienceToken(AudienceKind Kind, Guid TargetId, Profile? Profile = null)
{
    public static AudienceToken Person(Guid id) => new(AudienceKind.Person, id);

    public override string ToString() => Kind switch
    {
        AudienceKind.Person => $"person:{TargetId}",
        AudienceKind.GroupPupils => $"pupils:{TargetId}",
        AudienceKind.GroupParents => $"parents:{TargetId}",
        _ => $"school:{TargetId}:{Profile}",
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out AudienceToken? token)
    {
        token = null;
        var parts = (text ?? "").Trim().Split(':');
        if (parts.Length < 2 || !Guid.TryParse(parts[1], out var id))
        {
            return false;
        }

        token = (parts[0], parts.Length) switch
        {
            ("person", 2) => Person(id),
            ("pupils", 2) => new AudienceToken(AudienceKind.GroupPupils, id),
            ("parents", 2) => new AudienceToken(AudienceKind.GroupParents, id),
            ("school", 3) when Enum.TryParse<Profile>(parts[2], out var p) && CommunicationDirectory.SchoolProfileLabels.ContainsKey(p)
                => new AudienceToken(AudienceKind.SchoolProfile, id, p),
            _ => null,
        };
        return token is not null;
    }

    public static string Join(IEnumerable<AudienceToken> tokens) => string.Join(',', tokens.Select(t => t.ToString()));

    public static List<AudienceToken> ParseList(string? joined) =>
        (joined ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => TryParse(t, out var token) ? token : null).OfType<AudienceToken>().Distinct().ToList();
}
