using System.Text;
using Preau.Surge.Cli;

namespace Preau.Surge.Accounts;

/// <summary>
/// Reads the seed's accounts file (<c>login,password,profile,school,class</c>). Errors name the
/// line, because a 20,000-line file with one bad row is otherwise hopeless to fix.
/// </summary>
internal static class AccountsCsv
{
    // The seed command prints French labels (the CSV is handed to schools); profile names are accepted too.
    private static readonly Dictionary<string, UserProfile> s_seedLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["eleve"] = UserProfile.Pupil,
        ["parent"] = UserProfile.Parent,
        ["enseignant"] = UserProfile.Teacher,
        ["personnel"] = UserProfile.Staff,
        ["direction"] = UserProfile.SchoolAdmin,
        ["administrateur-region"] = UserProfile.RegionAdmin,
    };

    private static readonly string[] RequiredColumns = ["login", "password", "profile"];

    public static IReadOnlyList<SeedAccount> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new SurgeInputException($"fichier de comptes introuvable : {path}");
        }

        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, path);
    }

    public static IReadOnlyList<SeedAccount> Read(TextReader reader, string source)
    {
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new SurgeInputException($"{source} : fichier vide, l'en-tête login,password,profile,school,class est attendu.");
        }

        var columns = SplitLine(header, source, 1).Select(c => c.Trim().ToLowerInvariant()).ToList();
        foreach (var required in RequiredColumns)
        {
            if (!columns.Contains(required))
            {
                throw new SurgeInputException($"{source} ligne 1 : colonne « {required} » absente de l'en-tête « {header} ».");
            }
        }

        int login = columns.IndexOf("login"), password = columns.IndexOf("password"), profile = columns.IndexOf("profile");
        int school = columns.IndexOf("school"), @class = columns.IndexOf("class");
        var accounts = new List<SeedAccount>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = SplitLine(line, source, lineNumber);
            if (fields.Count != columns.Count)
            {
                throw new SurgeInputException($"{source} ligne {lineNumber} : {fields.Count} champs au lieu de {columns.Count}.");
            }

            if (!s_seedLabels.TryGetValue(fields[profile], out var parsedProfile)
                && (!Enum.TryParse(fields[profile], ignoreCase: true, out parsedProfile) || int.TryParse(fields[profile], out _)))
            {
                throw new SurgeInputException($"{source} ligne {lineNumber} : profil « {fields[profile]} » inconnu (attendu : {string.Join(", ", Enum.GetNames<UserProfile>())}).");
            }

            if (fields[login].Length == 0 || fields[password].Length == 0)
            {
                throw new SurgeInputException($"{source} ligne {lineNumber} : identifiant ou mot de passe vide.");
            }

            accounts.Add(new SeedAccount(fields[login], fields[password], parsedProfile,
                school >= 0 ? fields[school] : "", @class >= 0 ? fields[@class] : ""));
        }

        if (accounts.Count == 0)
        {
            throw new SurgeInputException($"{source} : aucun compte après l'en-tête.");
        }

        return accounts;
    }

    /// <summary>RFC 4180 fields: commas inside quotes, doubled quotes as a literal quote.</summary>
    private static List<string> SplitLine(string line, string source, int lineNumber)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else if (c != '\r')
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            throw new SurgeInputException($"{source} ligne {lineNumber} : guillemet non fermé.");
        }

        fields.Add(current.ToString());
        return fields;
    }
}
