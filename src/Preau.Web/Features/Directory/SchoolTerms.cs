using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Directory;
using Preau.Web.Shared;

namespace Preau.Web.Features.PeopleDirectory;

/// <summary>A term of a school year: "1er trimestre", from <see cref="Start"/> to <see cref="End"/> included.</summary>
internal sealed record Term(int Number, string Name, DateOnly Start, DateOnly End)
{
    public bool Contains(DateOnly date) => date >= Start && date <= End;
}

/// <summary>
/// The terms of a school: those its head configured for the school year (trimesters or semesters),
/// or, when none is configured, the three usual trimesters (September–November, December–February,
/// March–August). Marks averages and absence counts are given per term from here, so every feature
/// cuts the year the same way.
/// </summary>
internal sealed class SchoolTerms(PreauDbContext db)
{
    /// <summary>The school year a date belongs to, by the calendar year it starts in (September).</summary>
    public static int SchoolYearOf(DateOnly date) => date.Month >= 9 ? date.Year : date.Year - 1;

    /// <summary>The three usual trimesters of a school year, used when the school configured nothing.</summary>
    public static IReadOnlyList<Term> DefaultTrimesters(int schoolYear) =>
    [
        new(1, Ordinal(1, trimesters: true), new DateOnly(schoolYear, 9, 1), new DateOnly(schoolYear, 11, 30)),
        new(2, Ordinal(2, trimesters: true), new DateOnly(schoolYear, 12, 1), new DateOnly(schoolYear + 1, 3, 1).AddDays(-1)),
        new(3, Ordinal(3, trimesters: true), new DateOnly(schoolYear + 1, 3, 1), new DateOnly(schoolYear + 1, 8, 31)),
    ];

    /// <summary>"1er trimestre", "2e semestre".</summary>
    public static string Ordinal(int number, bool trimesters) =>
        $"{(number == 1 ? "1er" : $"{number}e")} {(trimesters ? "trimestre" : "semestre")}";

    /// <summary>The terms of the school year that contains <paramref name="date"/>, in order.</summary>
    public async Task<IReadOnlyList<Term>> ForYearAsync(Guid schoolId, DateOnly date, CancellationToken ct)
    {
        var year = SchoolYearOf(date);
        var configured = await db.SchoolTerms.AsNoTracking().Where(t => t.SchoolId == schoolId && t.SchoolYear == year)
            .OrderBy(t => t.Number).Select(t => new Term(t.Number, t.Name, t.Start, t.End)).ToListAsync(ct);
        return configured.Count > 0 ? configured : DefaultTrimesters(year);
    }

    /// <summary>The term a date falls in. Dates outside every configured term (summer) belong to the nearest one.</summary>
    public async Task<Term> TermOfAsync(Guid schoolId, DateOnly date, CancellationToken ct) =>
        TermOf(await ForYearAsync(schoolId, date, ct), date);

    public static Term TermOf(IReadOnlyList<Term> terms, DateOnly date) =>
        terms.FirstOrDefault(t => t.Contains(date)) ?? (date < terms[0].Start ? terms[0] : terms[^1]);

    /// <summary>Replaces a school year's terms: 2 (semesters) or 3 (trimesters) consecutive periods.
    /// <paramref name="ends"/> are the last days of every term but the last, which ends on 31 August.
    /// Returns French messages when the dates do not cut the year in order.</summary>
    public async Task<IReadOnlyList<string>> ConfigureAsync(Guid schoolId, int schoolYear, bool trimesters, IReadOnlyList<DateOnly?> ends, CancellationToken ct)
    {
        var count = trimesters ? 3 : 2;
        var errors = new List<string>();
        var start = new DateOnly(schoolYear, 9, 1);
        var yearEnd = new DateOnly(schoolYear + 1, 8, 31);
        var terms = new List<SchoolTerm>();
        for (var i = 0; i < count; i++)
        {
            DateOnly end;
            if (i == count - 1)
            {
                end = yearEnd;
            }
            else if (i >= ends.Count || ends[i] is not { } given)
            {
                errors.Add($"Indiquez la date de fin du {Ordinal(i + 1, trimesters)}.");
                continue;
            }
            else
            {
                end = given;
            }

            if (end < start || (end >= yearEnd && i < count - 1))
            {
                errors.Add($"La fin du {Ordinal(i + 1, trimesters)} doit tomber entre le {FrenchText.DayOfMonth(start)} {start.Year} et le {FrenchText.DayOfMonth(yearEnd.AddDays(-1))} {yearEnd.Year}.");
                continue;
            }

            terms.Add(new SchoolTerm { SchoolId = schoolId, SchoolYear = schoolYear, Number = i + 1, Name = Ordinal(i + 1, trimesters), Start = start, End = end });
            start = end.AddDays(1);
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SchoolTerms.Where(t => t.SchoolId == schoolId && t.SchoolYear == schoolYear).ExecuteDeleteAsync(ct);
        db.SchoolTerms.AddRange(terms);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return [];
    }
}
