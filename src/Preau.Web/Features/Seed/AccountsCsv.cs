using Preau.Data.Directory;
using Preau.Web.Shared.Csv;

namespace Preau.Web.Features.Seed;

/// <summary>One line of the sheet a school prints: who signs in with what.</summary>
internal sealed record AccountLine(string Login, string Secret, Profile Profile, string School, string Class);

/// <summary>
/// Writes <c>login;password;profile;school;class</c> in the spreadsheet dialect of <see cref="SpreadsheetCsv"/>, sorted by school, class and profile so that
/// a school can print its part in one go. The file holds secrets: it is created readable by its
/// owner only, and written under a temporary name that is renamed only once the database commit
/// succeeded, so a failed run leaves no sheet of accounts that do not exist.
/// </summary>
internal static class AccountsCsv
{
    public static readonly string[] Header = ["login", "password", "profile", "school", "class"];

    /// <summary>Fails early (before any database work) if the file cannot be created there.</summary>
    public static FileStream CreateTemporary(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(TemporaryPath(path), options);
    }

    public static string TemporaryPath(string path) => path + ".partiel";

    public static void Write(Stream stream, IEnumerable<AccountLine> lines)
    {
        using var csv = SpreadsheetCsv.CreateWriter(stream);
        csv.WriteRecord(Header);
        foreach (var line in lines
            .OrderBy(l => l.School, StringComparer.Ordinal)
            .ThenBy(l => l.Class, StringComparer.Ordinal)
            .ThenBy(l => l.Profile)
            .ThenBy(l => l.Login, StringComparer.Ordinal))
        {
            csv.WriteRecord([line.Login, line.Secret, ProfileLabels.Label(line.Profile), line.School, line.Class]);
        }
    }
}
