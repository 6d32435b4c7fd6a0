using System.Globalization;
using Preau.Data.Assessment;
using Preau.Web.Shared;

namespace Preau.Web.Features.Assessment;

/// <summary>A cell's content once read: assessed (a mark or a level), absent or exempt.</summary>
internal readonly record struct CellValue(ResultStatus Status, decimal? Value);

/// <summary>
/// What a teacher may type in a cell of the grid, and how a stored cell is written back into it:
/// a mark ("12,5" or "12.5", between 0 and the maximum, two decimals at most) or a level of the
/// common core (1 to 4, or MI, F, S, TB), "abs" for absent, "disp" for exempt (dispensé), empty for
/// nothing yet. The page and the API read cells here, so both accept and refuse the same things.
/// </summary>
internal static class AssessmentCells
{
    public const string AbsentCode = "abs";
    public const string ExemptCode = "disp";

    /// <summary>The four levels of the common core (socle commun), 1 to 4.</summary>
    public static IReadOnlyList<string> Levels { get; } = ["Maîtrise insuffisante", "Maîtrise fragile", "Maîtrise satisfaisante", "Très bonne maîtrise"];

    /// <summary>Short forms for tables: MI, MF, MS, TB.</summary>
    public static IReadOnlyList<string> LevelCodes { get; } = ["MI", "MF", "MS", "TB"];

    /// <summary>Null for an empty cell; a French message in <paramref name="error"/> when the text is not a value.</summary>
    public static CellValue? Parse(string? text, AssessmentKind kind, decimal outOf, out string? error)
    {
        error = null;
        var t = (text ?? "").Trim().ToLowerInvariant();
        switch (t)
        {
            case "":
                return null;
            case AbsentCode or "absent" or "absente" or "a":
                return new CellValue(ResultStatus.Absent, null);
            case ExemptCode or "dispensé" or "dispensée" or "dispense" or "d":
                return new CellValue(ResultStatus.Exempt, null);
        }

        if (kind == AssessmentKind.Skills)
        {
            var level = t switch
            {
                "1" or "mi" => 1,
                "2" or "f" or "mf" => 2,
                "3" or "s" or "ms" => 3,
                "4" or "tb" => 4,
                _ => 0,
            };
            if (level == 0)
            {
                error = $"« {text!.Trim()} » n'est pas un niveau : choisissez de 1 (maîtrise insuffisante) à 4 (très bonne maîtrise), abs ou disp.";
                return null;
            }

            return new CellValue(ResultStatus.Assessed, level);
        }

        if (!decimal.TryParse(t.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mark))
        {
            error = $"« {text!.Trim()} » n'est pas une note : tapez par exemple 12,5, ou abs, ou disp.";
            return null;
        }

        if (mark > outOf)
        {
            error = $"« {text!.Trim()} » : la note doit être comprise entre 0 et {FrenchText.Decimal(outOf)}.";
            return null;
        }

        if (decimal.Round(mark, 2) != mark)
        {
            error = $"« {text!.Trim()} » : deux décimales au plus.";
            return null;
        }

        return new CellValue(ResultStatus.Assessed, mark);
    }

    /// <summary>A stored cell as the grid shows it for editing ("12,5", "3", "abs", "disp").</summary>
    public static string Format(ResultStatus status, decimal? value) => status switch
    {
        ResultStatus.Absent => AbsentCode,
        ResultStatus.Exempt => ExemptCode,
        _ => value is { } v ? FrenchText.Decimal(v) : "",
    };

    /// <summary>A stored cell as a reader sees it ("12,5/20", "Maîtrise fragile", "Absent", "Dispensé").</summary>
    public static string Describe(AssessmentKind kind, ResultStatus status, decimal? value, decimal outOf) => status switch
    {
        ResultStatus.Absent => "Absent",
        ResultStatus.Exempt => "Dispensé",
        _ when value is null => "",
        _ when kind == AssessmentKind.Skills => Levels[Math.Clamp((int)value.Value, 1, 4) - 1],
        _ => $"{FrenchText.Decimal(value.Value)}/{FrenchText.Decimal(outOf)}",
    };

    /// <summary>Short form for tables and CSV: "12,5", "MS", "abs", "disp".</summary>
    public static string Short(AssessmentKind kind, ResultStatus status, decimal? value) =>
        kind == AssessmentKind.Skills && status == ResultStatus.Assessed && value is { } v ? LevelCodes[Math.Clamp((int)v, 1, 4) - 1] : Format(status, value);

    /// <summary>The key of a cell in a form or a ValidationProblem: the pupil, and the skill for a skills assessment.</summary>
    public static string Key(Guid pupilId, Guid? skillId) => skillId is { } s ? $"{pupilId:N}_{s:N}" : $"{pupilId:N}";

    public static bool TryReadKey(string key, out Guid pupilId, out Guid? skillId)
    {
        skillId = null;
        var parts = key.Split('_');
        if (parts.Length is < 1 or > 2 || !Guid.TryParse(parts[0], out pupilId))
        {
            pupilId = Guid.Empty;
            return false;
        }

        if (parts.Length == 2)
        {
            if (!Guid.TryParse(parts[1], out var skill))
            {
                return false;
            }

            skillId = skill;
        }

        return true;
    }
}

/// <summary>A mark counted in an average: the mark, its maximum and its coefficient.</summary>
internal readonly record struct CountedMark(decimal Mark, decimal OutOf, decimal Coefficient);

/// <summary>Averages on 20 as French report cards give them: marks brought to 20 and weighted by their
/// coefficients; absent and exempt are not counted (the caller passes only assessed marks).</summary>
internal static class Averages
{
    public static decimal? OnTwenty(IEnumerable<CountedMark> marks)
    {
        decimal total = 0, weights = 0;
        foreach (var m in marks)
        {
            if (m.OutOf <= 0 || m.Coefficient <= 0)
            {
                continue;
            }

            total += m.Mark / m.OutOf * 20m * m.Coefficient;
            weights += m.Coefficient;
        }

        return weights == 0 ? null : Math.Round(total / weights, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>The overall average: the mean of the subject averages, each subject counting once.</summary>
    public static decimal? Overall(IEnumerable<decimal?> subjectAverages)
    {
        var known = subjectAverages.OfType<decimal>().ToList();
        return known.Count == 0 ? null : Math.Round(known.Average(), 2, MidpointRounding.AwayFromZero);
    }
}
