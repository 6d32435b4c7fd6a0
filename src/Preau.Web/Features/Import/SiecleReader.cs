using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Preau.Data.Directory;

namespace Preau.Web.Features.Import;

/// <summary>
/// Reads the XML a French school really has: SIECLE "élèves" (BEE_ELEVES) and "responsables"
/// (BEE_RESPONSABLES), STS-web (STS_EDT). The files declare ISO-8859-15 and may hold tens of
/// thousands of records, so they are streamed record by record; a file that ends too early or is
/// not well formed throws <see cref="ImportRefusedException"/> before anything is written.
/// </summary>
internal static class SiecleReader
{
    static SiecleReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly XmlReaderSettings s_settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true, Async = false,
    };

    public static void ReadPupils(Stream stream, string uai, SchoolExport export)
    {
        export.HasPupils = true;
        var pupils = new Dictionary<string, XElement>(StringComparer.Ordinal);
        var structures = new Dictionary<string, List<(string Code, string Type)>>(StringComparer.Ordinal);
        Read(stream, "élèves", "BEE_ELEVES", uai, ["ELEVE", "STRUCTURES_ELEVE"], element =>
        {
            var id = (string?)element.Attribute("ELEVE_ID") ?? "";
            if (element.Name.LocalName == "ELEVE")
            {
                pupils[id] = element;
                return;
            }

            var list = structures.TryGetValue(id, out var known) ? known : structures[id] = [];
            list.AddRange(element.Elements("STRUCTURE").Select(s => (Text(s, "CODE_STRUCTURE"), Text(s, "TYPE_STRUCTURE"))));
        });

        foreach (var (id, element) in pupils)
        {
            var lastName = Name(Text(element, "NOM_DE_FAMILLE") is { Length: > 0 } family ? family : Text(element, "NOM"));
            var firstName = Name(Text(element, "PRENOM"));
            var record = $"élève {id} ({lastName} {firstName})".Trim();
            if (id.Length == 0 || lastName.Length == 0 || firstName.Length == 0)
            {
                export.Errors.Add(new ImportError(record, "Nom, prénom ou identifiant (ELEVE_ID) manquant : élève ignoré."));
                continue;
            }

            if (!TryDate(Text(element, "DATE_NAISS"), out var birth) || !TryDate(Text(element, "DATE_SORTIE"), out var left))
            {
                export.Errors.Add(new ImportError(record, "Date illisible (attendu jj/mm/aaaa) : élève ignoré."));
                continue;
            }

            var placed = structures.GetValueOrDefault(id) ?? [];
            var classes = placed.Where(s => s.Type == "D" && s.Code.Length > 0).Select(s => s.Code).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var groups = placed.Where(s => s.Type == "G" && s.Code.Length > 0).Select(s => s.Code).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (classes.Count > 1)
            {
                export.Errors.Add(new ImportError(record, $"Inscrit dans plusieurs classes ({string.Join(", ", classes)}) : élève ignoré."));
                continue;
            }

            if (classes.Count == 0 && left is null)
            {
                export.Errors.Add(new ImportError(record, "Aucune classe (division) : élève ignoré."));
                continue;
            }

            foreach (var code in classes)
            {
                export.AddGroup(code, GroupKind.Class);
            }

            foreach (var code in groups)
            {
                export.AddGroup(code, GroupKind.Group);
            }

            var nationalId = Text(element, "ID_NATIONAL");
            export.Pupils.Add(new ExportPupil("eleve:" + id, nationalId.Length == 0 ? null : nationalId.ToUpperInvariant(), lastName, firstName,
                birth, classes.FirstOrDefault(), groups, left, record));
        }
    }

    public static void ReadGuardians(Stream stream, string uai, SchoolExport export)
    {
        export.HasGuardians = true;
        var people = new Dictionary<string, XElement>(StringComparer.Ordinal);
        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        Read(stream, "responsables", "BEE_RESPONSABLES", uai, ["PERSONNE", "RESPONSABLE_ELEVE"], element =>
        {
            if (element.Name.LocalName == "PERSONNE")
            {
                people[(string?)element.Attribute("PERSONNE_ID") ?? ""] = element;
                return;
            }

            // RESP_LEGAL 1 and 2 are legal guardians; 0 is a contact (grand-parent, neighbour…), not a guardian.
            if (Text(element, "RESP_LEGAL") is "1" or "2")
            {
                var person = Text(element, "PERSONNE_ID");
                var list = children.TryGetValue(person, out var known) ? known : children[person] = [];
                list.Add("eleve:" + Text(element, "ELEVE_ID"));
            }
        });

        foreach (var (id, pupils) in children)
        {
            if (!people.TryGetValue(id, out var element))
            {
                export.Errors.Add(new ImportError($"responsable {id}", "Responsable légal absent de la liste des personnes : ignoré."));
                continue;
            }

            var lastName = Name(Text(element, "NOM_DE_FAMILLE") is { Length: > 0 } family ? family : Text(element, "NOM"));
            var firstName = Name(Text(element, "PRENOM"));
            var record = $"responsable {id} ({lastName} {firstName})";
            if (lastName.Length == 0 || firstName.Length == 0)
            {
                export.Errors.Add(new ImportError(record, "Nom ou prénom manquant : responsable ignoré."));
                continue;
            }

            export.Guardians.Add(new ExportGuardian("responsable:" + id, lastName, firstName, pupils, record));
        }
    }

    public static void ReadStaff(Stream stream, string uai, SchoolExport export)
    {
        export.HasStaff = true;
        var divisions = new List<XElement>();
        Read(stream, "STS-web", "STS_EDT", uai, ["MATIERE", "INDIVIDU", "DIVISION", "GROUPE"], element =>
        {
            switch (element.Name.LocalName)
            {
                case "MATIERE":
                    var code = Text(element, "CODE_GESTION") is { Length: > 0 } gestion ? gestion : (string?)element.Attribute("CODE") ?? "";
                    var name = Text(element, "LIBELLE_EDITION") is { Length: > 0 } edition ? edition : Text(element, "LIBELLE_LONG");
                    if (code.Length > 0)
                    {
                        // Services name the subject by its nomenclature code; keep both keys.
                        var subject = new ExportSubject(code.ToUpperInvariant(), name.Length > 0 ? name : code);
                        export.Subjects[(string?)element.Attribute("CODE") ?? code] = subject;
                    }

                    break;
                case "INDIVIDU":
                    AddStaff(element, export);
                    break;
                default:
                    // DIVISION elements also appear inside a group's DIVISIONS_APPARTENANCE, without services.
                    if (element.Element("SERVICES") is not null)
                    {
                        divisions.Add(element);
                    }

                    break;
            }
        });

        foreach (var structure in divisions)
        {
            var groupCode = (string?)structure.Attribute("CODE") ?? "";
            if (groupCode.Length == 0)
            {
                continue;
            }

            export.AddGroup(groupCode, structure.Name.LocalName == "DIVISION" ? GroupKind.Class : GroupKind.Group);
            foreach (var service in structure.Descendants("SERVICE"))
            {
                var subjectCode = (string?)service.Attribute("CODE_MATIERE") ?? "";
                if (!export.Subjects.TryGetValue(subjectCode, out var subject))
                {
                    export.Errors.Add(new ImportError($"service {groupCode} {subjectCode}", "Matière absente de la nomenclature : service ignoré."));
                    continue;
                }

                foreach (var teacher in service.Descendants("ENSEIGNANT"))
                {
                    export.Services.Add(new ExportService(groupCode, subject.Code, "sts:" + ((string?)teacher.Attribute("ID") ?? "")));
                }
            }
        }
    }

    private static void AddStaff(XElement element, SchoolExport export)
    {
        var id = (string?)element.Attribute("ID") ?? "";
        var lastName = Name(Text(element, "NOM_USAGE") is { Length: > 0 } usage ? usage : Text(element, "NOM_PATRONYMIQUE"));
        var firstName = Name(Text(element, "PRENOM"));
        var record = $"personnel {id} ({lastName} {firstName})";
        if (id.Length == 0 || lastName.Length == 0 || firstName.Length == 0)
        {
            export.Errors.Add(new ImportError(record, "Nom, prénom ou identifiant manquant : personnel ignoré."));
            return;
        }

        // ENS teaches, DOC (professeur documentaliste) too; DIR is the head and deputy; the rest
        // (EDU = CPE, ADM, SUR, …) is the school's staff.
        var profile = Text(element, "FONCTION").ToUpperInvariant() switch
        {
            "ENS" or "DOC" => Profile.Teacher,
            "DIR" => Profile.SchoolAdmin,
            _ => Profile.Staff,
        };
        export.Staff.Add(new ExportStaff("sts:" + id, lastName, firstName, profile, record));
    }

    /// <summary>Streams the file, handing each wanted element (with its subtree) to <paramref name="onElement"/>.</summary>
    private static void Read(Stream stream, string label, string root, string uai, string[] wanted, Action<XElement> onElement)
    {
        try
        {
            using var reader = XmlReader.Create(stream, s_settings);
            reader.MoveToContent();
            if (reader.LocalName != root)
            {
                throw new ImportRefusedException($"Le fichier « {label} » n'est pas un export {root} (élément racine {reader.LocalName}).");
            }

            var checkedUai = false;
            reader.Read();
            while (!reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }

                if (reader.LocalName == "PARAMETRES")
                {
                    var parameters = (XElement)XNode.ReadFrom(reader);
                    CheckUai(label, parameters, uai);
                    checkedUai = true;
                }
                else if (Array.IndexOf(wanted, reader.LocalName) >= 0)
                {
                    if (!checkedUai)
                    {
                        throw new ImportRefusedException($"Le fichier « {label} » ne commence pas par ses PARAMETRES (code UAJ de l'établissement).");
                    }

                    onElement((XElement)XNode.ReadFrom(reader));
                }
                else
                {
                    reader.Read();
                }
            }

            if (!checkedUai)
            {
                throw new ImportRefusedException($"Le fichier « {label} » n'indique pas le code UAJ de l'établissement (PARAMETRES).");
            }
        }
        catch (XmlException e)
        {
            throw new ImportRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"Le fichier « {label} » est tronqué ou mal formé (ligne {e.LineNumber}, colonne {e.LinePosition}) : rien n'a été importé."));
        }
        catch (DecoderFallbackException)
        {
            throw new ImportRefusedException($"Le fichier « {label} » contient des caractères illisibles dans l'encodage qu'il déclare.");
        }
    }

    private static void CheckUai(string label, XElement parameters, string uai)
    {
        // SIECLE: <UAJ>0750001A</UAJ>; STS-web: <UAJ CODE="0750001A">…</UAJ>.
        var element = parameters.Element("UAJ");
        var found = ((string?)element?.Attribute("CODE") ?? element?.Nodes().OfType<XText>().FirstOrDefault()?.Value ?? "").Trim();
        if (!string.Equals(found, uai, StringComparison.OrdinalIgnoreCase))
        {
            throw new ImportRefusedException(found.Length == 0
                ? $"Le fichier « {label} » n'indique pas de code UAJ : rien n'a été importé."
                : $"Le fichier « {label} » est celui de l'établissement {found}, pas de {uai} : rien n'a été importé.");
        }
    }

    private static string Text(XElement element, string name) => ((string?)element.Element(name) ?? "").Trim();

    /// <summary>Collapses inner runs of spaces; keeps case and accents as the school typed them.</summary>
    internal static string Name(string value) => string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>jj/mm/aaaa (SIECLE) or aaaa-mm-jj (STS-web); empty is a valid "no date".</summary>
    internal static bool TryDate(string text, out DateOnly? date)
    {
        date = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, ["dd/MM/yyyy", "yyyy-MM-dd", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            date = parsed;
            return true;
        }

        return false;
    }
}
