using System.Text;
using CsvHelper;
using Preau.Data.Directory;
using Preau.Surge.Cli;
using Preau.Web.Shared.Csv;

namespace Preau.Surge.Accounts;

/// <summary>
/// Reads the seed's accounts file (<c>login;password;profile;school;class</c>, or with commas) in the
/// dialect of <see cref="SpreadsheetCsv"/>. Errors name the line, because a 20,000-line file with one
/// bad row is otherwise hopeless to fix.
/// </summary>
internal static class AccountsCsv
{
    private static readonly string[] s_columns = ["login", "password", "profile", "school", "class"];

    private static readonly string[] s_requiredColumns = ["login", "password", "profile"];

    public static IReadOnlyList<SeedAccount> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new SurgeInputException($"fichier de comptes introuvable : {path}");
        }

        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, path);
    }

    public static IReadOnlyList<SeedAccount> Read(TextReader text, string source)
    {
        try
        {
            using var csv = SpreadsheetCsv.CreateReader(text);
            return Read(csv, source);
        }
        catch (CsvFormatException e)
        {
            throw new SurgeInputException($"{source} ligne {e.LineNumber} : CSV mal formé ({e.Message}).");
        }
    }

    /// <summary>The emulator's accounts, in the same dialect as the seed's.</summary>
    public static async Task WriteAsync(string path, IEnumerable<SeedAccount> accounts, CancellationToken ct)
    {
        await using var file = File.Create(path);
        await using var csv = SpreadsheetCsv.CreateWriter(file);
        csv.WriteRecord(s_columns);
        foreach (var a in accounts)
        {
            csv.WriteRecord([a.Login, a.Password, ProfileLabels.Label(a.Profile), a.School, a.Class]);
        }

        await csv.FlushAsync(ct);
    }

    private static List<SeedAccount> Read(CsvReader csv, string source)
    {
        var more = csv.Read();
        if (csv.Headers.Count == 0)
        {
            throw new SurgeInputException($"{source} : fichier vide, l'en-tête {string.Join(";", s_columns)} est attendu.");
        }

        var columns = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
        foreach (var required in s_requiredColumns)
        {
            if (!columns.Contains(required))
            {
                throw new SurgeInputException($"{source} ligne 1 : colonne « {required} » absente de l'en-tête « {string.Join(";", csv.Headers)} ».");
            }
        }

        int login = columns.IndexOf("login"), password = columns.IndexOf("password"), profile = columns.IndexOf("profile");
        int school = columns.IndexOf("school"), @class = columns.IndexOf("class");
        var accounts = new List<SeedAccount>();
        for (; more; more = csv.Read())
        {
            if (csv.FieldCount != columns.Count)
            {
                throw new SurgeInputException($"{source} ligne {csv.LineNumber} : {csv.FieldCount} champs au lieu de {columns.Count}.");
            }

            string Field(int index) => index >= 0 ? SpreadsheetCsv.Restore(csv.GetString(index) ?? "") : "";
            if (!ProfileLabels.TryParse<UserProfile>(Field(profile), out var parsedProfile))
            {
                throw new SurgeInputException(
                    $"{source} ligne {csv.LineNumber} : profil « {Field(profile)} » inconnu (attendu : {string.Join(", ", Enum.GetNames<UserProfile>())}).");
            }

            if (Field(login).Length == 0 || Field(password).Length == 0)
            {
                throw new SurgeInputException($"{source} ligne {csv.LineNumber} : identifiant ou mot de passe vide.");
            }

            accounts.Add(new SeedAccount(Field(login), Field(password), parsedProfile, Field(school), Field(@class)));
        }

        if (accounts.Count == 0)
        {
            throw new SurgeInputException($"{source} : aucun compte après l'en-tête.");
        }

        return accounts;
    }
}
