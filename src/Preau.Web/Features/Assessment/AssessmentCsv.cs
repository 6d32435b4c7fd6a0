using Preau.Web.Shared;
using Preau.Web.Shared.Csv;

namespace Preau.Web.Features.Assessment;

/// <summary>A class's table as a spreadsheet: one line per pupil, one column per assessment (or skill),
/// then the subject averages on 20, in the repository's CSV dialect (<see cref="SpreadsheetCsv"/>).</summary>
internal static class AssessmentCsv
{
    public static byte[] Write(ClassTable table)
    {
        using var stream = new MemoryStream();
        using (var csv = SpreadsheetCsv.CreateWriter(stream))
        {
            csv.WriteRecord(["Élève", .. table.Columns.Select(c => $"{c.SubjectName} · {c.Label}"), .. table.Subjects.Select(s => $"Moyenne {s.Name} (/20)")]);
            foreach (var row in table.Rows)
            {
                csv.WriteRecord([row.Name, .. row.Cells, .. row.SubjectAverages.Select(a => a is { } v ? FrenchText.Decimal(v) : "")]);
            }
        }

        return stream.ToArray();
    }

    public static string FileName(ClassTable table) =>
        $"evaluations-{new string([.. table.GroupName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')])}-periode-{table.Term.Number}.csv";
}
