namespace Preau.Data.Directory;

/// <summary>
/// The profile names of account files, as schools read them in a spreadsheet ("eleve", "enseignant"...).
/// The one table: the surge simulator compiles this file too (its own profile enum has the same member
/// names), so the seed that writes these labels and the simulator that reads them cannot drift apart.
/// </summary>
public static class ProfileLabels
{
    private static readonly (string Profile, string Label)[] s_labels =
    [
        ("Pupil", "eleve"),
        ("Parent", "parent"),
        ("Teacher", "enseignant"),
        ("Staff", "personnel"),
        ("SchoolAdmin", "direction"),
        ("RegionAdmin", "administrateur-region"),
    ];

    public static string Label<TProfile>(TProfile profile)
        where TProfile : struct, Enum
    {
        var name = profile.ToString();
        return s_labels.FirstOrDefault(l => l.Profile == name).Label ?? name;
    }

    /// <summary>A label, or a profile's own name (Pupil, Teacher...); never a number.</summary>
    public static bool TryParse<TProfile>(string text, out TProfile profile)
        where TProfile : struct, Enum
    {
        var name = s_labels.FirstOrDefault(l => string.Equals(l.Label, text, StringComparison.OrdinalIgnoreCase)).Profile ?? text;
        return Enum.TryParse(name, ignoreCase: true, out profile) && Enum.IsDefined(profile) && !int.TryParse(text, out _);
    }
}
