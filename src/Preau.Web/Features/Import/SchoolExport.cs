using Preau.Data.Directory;

namespace Preau.Web.Features.Import;

/// <summary>A pupil as the school's export describes them. <see cref="ExternalId"/> is prefixed by its
/// source ("eleve:1234"); <see cref="LeftOn"/> is the DATE_SORTIE of a pupil who left.</summary>
internal sealed record ExportPupil(string ExternalId, string? NationalId, string LastName, string FirstName, DateOnly? BirthDate,
    string? ClassCode, IReadOnlyList<string> GroupCodes, DateOnly? LeftOn, string Record);

/// <summary>A legal guardian and the pupils (by their <see cref="ExportPupil.ExternalId"/>) they are responsible for.</summary>
internal sealed record ExportGuardian(string ExternalId, string LastName, string FirstName, IReadOnlyList<string> ChildExternalIds, string Record);

/// <summary>A member of staff from STS-web (or the CSV), with the profile their function gives.</summary>
internal sealed record ExportStaff(string ExternalId, string LastName, string FirstName, Profile Profile, string Record);

/// <summary>A class (division) or a group the exports name, with its level for classes.</summary>
internal sealed record ExportGroup(string Code, GroupKind Kind);

/// <summary>A teacher teaching a subject to a class or group (an STS-web "service").</summary>
internal sealed record ExportService(string GroupCode, string SubjectCode, string TeacherExternalId);

internal sealed record ExportSubject(string Code, string Name);

/// <summary>One faulty record: skipped, reported in French, the rest goes on.</summary>
internal sealed record ImportError(string Record, string Message);

/// <summary>A whole file refused (wrong school, truncated, not the expected export): nothing is written.</summary>
internal sealed class ImportRefusedException(string message) : Exception(message);

/// <summary>Everything the school's files say, merged, before it is compared with the database.</summary>
internal sealed class SchoolExport
{
    /// <summary>Whether the files hold the school's whole roll of pupils: only then are the pupils
    /// missing from it deactivated.</summary>
    public bool HasPupils { get; set; }
    public bool HasGuardians { get; set; }
    public bool HasStaff { get; set; }

    public List<ExportPupil> Pupils { get; } = [];
    public List<ExportGuardian> Guardians { get; } = [];
    public List<ExportStaff> Staff { get; } = [];
    public Dictionary<string, ExportGroup> Groups { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<ExportService> Services { get; } = [];
    public Dictionary<string, ExportSubject> Subjects { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<ImportError> Errors { get; } = [];

    public void AddGroup(string code, GroupKind kind)
    {
        // A code seen as a class (division) stays a class even if another file lists it as a group.
        if (!Groups.TryGetValue(code, out var known) || (known.Kind == GroupKind.Group && kind == GroupKind.Class))
        {
            Groups[code] = new ExportGroup(code, kind);
        }
    }

    /// <summary>"4A", "4e2", "3EME B" → "4e"; "" when the code does not start with a collège level.</summary>
    public static string LevelOf(string classCode) =>
        classCode.Length > 0 && classCode[0] is '6' or '5' or '4' or '3' ? $"{classCode[0]}e" : "";
}
