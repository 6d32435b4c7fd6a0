using Preau.Web.Features.Assessment;
using Preau.Web.Features.PeopleDirectory;

namespace Preau.Web.Features.Seed;

/// <summary>
/// The demo pupil's class gets a few assessments of this term, written through the service the pages use:
/// two published marked tests and a published skills assessment (so the parent's results page shows marks,
/// class figures and averages), and one marked test the teacher has not published yet.
/// </summary>
internal static class DemoAssessments
{
    public static async Task AddAsync(IServiceProvider services, GeneratedRegion region, Guid classId, Guid demoTeacherId, DateOnly today, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<AssessmentService>();
        var terms = scope.ServiceProvider.GetRequiredService<SchoolTerms>();
        var schoolId = region.Groups.First(g => g.Id == classId).SchoolId;
        var term = await terms.TermOfAsync(schoolId, today, ct);
        var pupils = region.Memberships.Where(m => m.GroupId == classId).Select(m => m.PupilId).ToList();
        // the demo teacher's own subject first, so that the teacher who signs in with the printed login has a grid to open
        var assignments = region.Assignments.Where(a => a.GroupId == classId).OrderBy(a => a.TeacherId == demoTeacherId ? 0 : 1).Take(3).ToList();
        var plans = new (string Title, int DaysAgo, string Kind, bool Publish)[]
        {
            ("Contrôle du chapitre 3", 9, "notes", true), ("Interrogation écrite", 4, "notes", true),
            ("Exposé oral", 6, "competences", true), ("Devoir maison n°4", 1, "notes", false),
        };
        for (var i = 0; i < plans.Length && assignments.Count > 0; i++)
        {
            var (title, daysAgo, kind, publish) = plans[i];
            var assignment = assignments[i % assignments.Count];
            var date = today.AddDays(-daysAgo) < term.Start ? term.Start : today.AddDays(-daysAgo);
            var (outcome, id, _) = await service.CreateAsync(assignment.TeacherId, new AssessmentInput(assignment.GroupId, assignment.SubjectId, title, date,
                kind, 20, i == 0 ? 2 : 1, kind == "competences" ? ["S'exprimer à l'oral", "Organiser son propos"] : null), ct);
            if (outcome != AssessmentOutcome.Ok)
            {
                continue;
            }

            List<Guid?> skills = kind == "competences" ? [.. (await service.SkillIdsAsync(id, ct)).Select(s => (Guid?)s)] : [null];
            var cells = pupils.SelectMany((p, n) => skills.Select((s, k) => new CellInput(p, s,
                n == 3 ? "abs" : kind == "competences" ? (1 + ((n + k + i) % 4)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : Mark(n, i)))).ToList();
            await service.SaveGridAsync(assignment.TeacherId, id, cells, publish ? Optional<DateTimeOffset?>.Some(service.Now) : Optional<DateTimeOffset?>.None, ct);
        }
    }

    /// <summary>Marks spread between 6 and 19,5, the same on every start.</summary>
    private static string Mark(int pupil, int test) =>
        (6 + ((pupil * 7 + test * 5) % 28) / 2m).ToString("0.#", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));
}
