using System.Globalization;
using System.Text;
using CsvHelper;
using Preau.Data.Directory;
using Preau.Web.Features.Seed;

namespace Preau.Web.Features.Import;

/// <summary>
/// The CSV a school without SIECLE or STS-web exports can fill in a spreadsheet (documented in the
/// README): one line per person, French headers, <c>;</c> or <c>,</c>, UTF-8 or Windows-1252.
/// Columns: uai, profil, identifiant, nom, prenom, date_naissance, ine, classe, groupes,
/// date_sortie, enfants, enseignements. Lists inside a field are separated by <c>|</c>.
/// </summary>
internal static class CsvDirectoryReader
{
    static CsvDirectoryReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly string[] s_required = ["uai", "profil", "identifiant", "nom", "prenom"];

    public static void Read(Stream stream, string uai, SchoolExport export)
    {
        var text = Decode(stream);
        using var reader = CsvReader.Create(new StringReader(text), CsvReaderOptions.Default with { HasHeader = false, TrimWhitespace = true });
        if (!reader.Read())
        {
            throw new ImportRefusedException("Le fichier CSV est vide.");
        }

        var columns = Enumerable.Range(0, reader.FieldCount)
            .Select(i => (Name: Key(reader.GetString(i)), Index: i))
            .GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().Index, StringComparer.Ordinal);
        var missing = s_required.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new ImportRefusedException($"Colonnes manquantes dans le fichier CSV : {string.Join(", ", missing)}. Voir le modèle dans le README.");
        }

        export.HasPupils = true;
        export.HasGuardians = true;
        export.HasStaff = true;
        var line = 1;
        while (reader.Read())
        {
            line++;
            string Field(string name) => columns.TryGetValue(name, out var i) && i < reader.FieldCount ? reader.GetString(i).Trim() : "";
            if (Enumerable.Range(0, reader.FieldCount).All(i => reader.GetString(i).Trim().Length == 0))
            {
                continue;
            }

            var fileUai = Field("uai");
            if (!string.Equals(fileUai, uai, StringComparison.OrdinalIgnoreCase))
            {
                throw new ImportRefusedException(string.Create(CultureInfo.InvariantCulture,
                    $"Ligne {line} du fichier CSV : établissement « {fileUai} », pas {uai}. Rien n'a été importé."));
            }

            AddRow(export, line, Field);
        }
    }

    private static void AddRow(SchoolExport export, int line, Func<string, string> field)
    {
        var id = field("identifiant");
        var lastName = SiecleReader.Name(field("nom"));
        var firstName = SiecleReader.Name(field("prenom"));
        var record = string.Create(CultureInfo.InvariantCulture, $"ligne {line} ({lastName} {firstName})");
        if (id.Length == 0 || lastName.Length == 0 || firstName.Length == 0)
        {
            export.Errors.Add(new ImportError(record, "Identifiant, nom ou prénom manquant : ligne ignorée."));
            return;
        }

        var externalId = "csv:" + id;
        switch (Key(field("profil")))
        {
            case "eleve":
                if (!SiecleReader.TryDate(field("date_naissance"), out var birth) || !SiecleReader.TryDate(field("date_sortie"), out var left))
                {
                    export.Errors.Add(new ImportError(record, "Date illisible (attendu jj/mm/aaaa) : ligne ignorée."));
                    return;
                }

                var classCode = field("classe");
                if (classCode.Length == 0 && left is null)
                {
                    export.Errors.Add(new ImportError(record, "Classe manquante : ligne ignorée."));
                    return;
                }

                var groups = List(field("groupes"));
                if (classCode.Length > 0)
                {
                    export.AddGroup(classCode, GroupKind.Class);
                }

                groups.ForEach(g => export.AddGroup(g, GroupKind.Group));
                var ine = field("ine");
                export.Pupils.Add(new ExportPupil(externalId, ine.Length == 0 ? null : ine.ToUpperInvariant(), lastName, firstName, birth,
                    classCode.Length == 0 ? null : classCode, groups, left, record));
                break;
            case "responsable" or "parent":
                export.Guardians.Add(new ExportGuardian(externalId, lastName, firstName, List(field("enfants")).Select(c => "csv:" + c).ToList(), record));
                break;
            case "enseignant" or "personnel" or "direction":
                var profile = Key(field("profil")) switch { "enseignant" => Profile.Teacher, "direction" => Profile.SchoolAdmin, _ => Profile.Staff };
                export.Staff.Add(new ExportStaff(externalId, lastName, firstName, profile, record));
                AddServices(export, record, externalId, field("enseignements"));
                break;
            default:
                export.Errors.Add(new ImportError(record,
                    "Profil inconnu (attendu eleve, responsable, enseignant, personnel ou direction) : ligne ignorée."));
                break;
        }
    }

    /// <summary>"4A:Mathématiques|LAT4:Latin": a class or group, then a subject by its name or code.</summary>
    private static void AddServices(SchoolExport export, string record, string teacher, string services)
    {
        foreach (var service in List(services))
        {
            var parts = service.Split(':', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                export.Errors.Add(new ImportError(record, $"Enseignement « {service} » illisible (attendu classe:matière) : ignoré."));
                continue;
            }

            var code = ImportPlan.Slug(parts[1]).Replace('-', '_').ToUpperInvariant();
            code = code.Length > 32 ? code[..32] : code;
            export.Subjects.TryAdd(code, new ExportSubject(code, parts[1]));
            export.AddGroup(parts[0], GroupKind.Group);
            export.Services.Add(new ExportService(parts[0], code, teacher));
        }
    }

    private static List<string> List(string value) =>
        [.. value.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>"Prénom", "PRENOM", "prénom " → "prenom"; "Date de naissance" → "date_de_naissance".</summary>
    private static string Key(string header)
    {
        var key = RegionGenerator.Slug(header.Replace('_', ' ')).Replace('-', '_');
        return key == "date_de_naissance" ? "date_naissance" : key == "date_de_sortie" ? "date_sortie" : key;
    }

    /// <summary>UTF-8 when every byte sequence is valid UTF-8 (with or without BOM), Windows-1252 otherwise:
    /// what a spreadsheet saves as "CSV" on a French Windows.</summary>
    private static string Decode(Stream stream)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        try
        {
            var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            var text = utf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252).GetString(bytes);
        }
    }
}
