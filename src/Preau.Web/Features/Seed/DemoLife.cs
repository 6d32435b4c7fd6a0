using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Preau.Data;
using Preau.Data.Attendance;
using Preau.Data.Directory;
using Preau.Data.Homework;
using Preau.Data.Timetable;
using Preau.Web.Features.Attendance;
using Preau.Web.Features.Homework;
using Preau.Web.Shared.Files;
using Preau.Web.Features.Messaging;
using Preau.Web.Features.News;
using Preau.Web.Features.Timetable;

namespace Preau.Web.Features.Seed;

/// <summary>The demo people whose pages a newcomer opens first.</summary>
internal sealed record DemoCast(Person Pupil, Person Parent, Person Teacher, Person Staff, Person Head);

/// <summary>
/// What makes the demo school look like a real week in a closure: an A/B timetable for every
/// class with a cancelled lesson and a room change, two weeks of homework and lesson contents with
/// attachments, a teacher and parents writing to each other, news with read receipts, and the
/// timeline all this feeds. Everything goes through the services that pages, the API and imports
/// use, so the demo shows what they really produce.
/// </summary>
internal static class DemoLife
{
    private static readonly (TimeOnly Start, TimeOnly End)[] s_day =
    [
        (new(8, 0), new(8, 55)), (new(9, 0), new(9, 55)), (new(10, 10), new(11, 5)), (new(11, 10), new(12, 5)),
        (new(13, 30), new(14, 25)), (new(14, 30), new(15, 25)), (new(15, 35), new(16, 30)),
    ];

    private static readonly DayOfWeek[] s_days = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>Weekly hours of each subject (halves are one lesson every other week), as in a French collège.</summary>
    private static readonly Dictionary<string, double> s_hours = new(StringComparer.Ordinal)
    {
        ["FRANC"] = 4.5, ["MATHS"] = 3.5, ["HG"] = 3, ["ANG"] = 3, ["ESP"] = 2.5, ["SVT"] = 1.5, ["PC"] = 1.5, ["TECH"] = 1.5,
        ["EPS"] = 3, ["ARTS"] = 1, ["MUS"] = 1,
    };

    private static readonly Dictionary<string, string> s_rooms = new(StringComparer.Ordinal)
    {
        ["SVT"] = "S12", ["PC"] = "S14", ["TECH"] = "T03", ["EPS"] = "gymnase", ["ARTS"] = "A02", ["MUS"] = "M01", ["LATIN"] = "012",
    };

    private static readonly Dictionary<string, (string Homework, string Lesson)[]> s_work = new(StringComparer.Ordinal)
    {
        ["MATHS"] =
        [
            ("Exercices 12 à 15 page 84", "Fractions : comparer et ranger"), ("Apprendre la propriété de Pythagore", "Triangle rectangle et hypoténuse"),
            ("Fiche d'exercices sur les fractions (jointe)", "Correction du contrôle"), ("Problème « Le jardin de Léa »", "Calcul littéral : développer"),
        ],
        ["FRANC"] =
        [
            ("Lire le chapitre 3 du roman", "Le portrait dans le récit"), ("Rédaction : décrire un lieu familier (15 lignes)", "Les valeurs du passé simple"),
            ("Apprendre la conjugaison du passé simple", "Lecture analytique, page 42"), ("Recopier et corriger la dictée", "Dictée préparée"),
        ],
        ["HG"] =
        [
            ("Apprendre la leçon sur les Lumières", "Les philosophes des Lumières"), ("Compléter la carte des fleuves de France", "Les grands repères géographiques"),
        ],
        ["ANG"] =
        [
            ("Learn the irregular verbs (list 2)", "Past simple: regular verbs"), ("Write 5 sentences about your weekend", "Describing a picture"),
        ],
        ["SVT"] = [("Schéma de la cellule à terminer", "Observation au microscope")],
    };

    public static async Task FillAsync(IServiceProvider services, GeneratedRegion region, DemoCast cast, CancellationToken ct)
    {
        var clock = services.GetRequiredService<TimeProvider>();
        var today = SchoolDay.Today(clock);
        var pupilClass = ClassOf(region, cast.Pupil.Id);
        await AddTimetableAsync(services, region, ct);
        var day = await NextSchoolDayAsync(services, pupilClass, today, ct);
        await AddChangesAsync(services, cast, pupilClass, day, ct);
        await AddHomeworkAsync(services, region, cast, today, ct);
        await AddMessagesAsync(services, region, cast, pupilClass, ct);
        await AddNewsAsync(services, region, cast, pupilClass, ct);
        await DemoAssessments.AddAsync(services, region, pupilClass, cast.Teacher.Id, today, ct);
        await AddAbsencesAsync(services, region, cast, pupilClass, today, ct);
    }

    /// <summary>The register of the class's lessons over the last two weeks: the demo pupil absent once (justified by the
    /// parent, accepted by the office) and late once, a classmate absent without a justification.</summary>
    private static async Task AddAbsencesAsync(IServiceProvider services, GeneratedRegion region, DemoCast cast, Guid classId, DateOnly today, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreauDbContext>();
        var lessons = (await scope.ServiceProvider.GetRequiredService<TimetableService>().OccurrencesAsync([classId], null, today.AddDays(-14), today.AddDays(-1), ct))
            .Where(l => !l.Cancelled).ToList();
        var classmate = region.Memberships.FirstOrDefault(m => m.GroupId == classId && m.PupilId != cast.Pupil.Id)?.PupilId;
        if (lessons.Count < 3 || classmate is null)
        {
            return;
        }

        var school = cast.Pupil.SchoolId!.Value;
        var marks = new List<AttendanceMark>();
        foreach (var (lesson, pupil, status) in new[]
        {
            (lessons[0], cast.Pupil.Id, AttendanceStatus.Absent), (lessons[lessons.Count / 2], cast.Pupil.Id, AttendanceStatus.Late),
            (lessons[^1], classmate.Value, AttendanceStatus.Absent),
        })
        {
            var taken = new DateTimeOffset(lesson.Date.ToDateTime(lesson.Start), TimeSpan.Zero);
            var mark = new AttendanceMark { PupilId = pupil, Status = status };
            marks.Add(mark);
            db.AttendanceRegisters.Add(new AttendanceRegister
            {
                SchoolId = school, LessonId = lesson.LessonId, Date = lesson.Date, GroupId = classId, TakenAt = taken, UpdatedAt = taken, Marks = [mark],
                TakenById = await db.TimetableLessons.Where(l => l.Id == lesson.LessonId).Select(l => l.TeacherId).FirstAsync(ct),
            });
        }

        await db.SaveChangesAsync(ct);
        var attendance = scope.ServiceProvider.GetRequiredService<AttendanceService>();
        await attendance.JustifyAsync(cast.Parent.Id, marks[0].Id, new Justification(AbsenceReason.Illness, "Fièvre, gardé à la maison."), null, ct);
        await attendance.DecideAsync(cast.Staff.Id, school, marks[0].Id, accept: true, null, ct);
    }

    private static Guid ClassOf(GeneratedRegion region, Guid pupilId) => region.Memberships.First(m => m.PupilId == pupilId
        && region.Groups.Any(g => g.Id == m.GroupId && g.Kind == GroupKind.Class)).GroupId;

    /// <summary>Places every class's weekly hours so that no class and no teacher has two lessons
    /// at once; half hours become a lesson in week A or week B.</summary>
    private static async Task AddTimetableAsync(IServiceProvider services, GeneratedRegion region, CancellationToken ct)
    {
        var slots = s_days.SelectMany(d => s_day.Select((t, i) => (Day: d, Index: i, t.Start, t.End)))
            .Where(s => s.Day != DayOfWeek.Wednesday || s.Index < 4).ToList();
        var busy = new HashSet<(Guid Who, int Slot, WeekParity Week)>();
        var rooms = new HashSet<(string Room, int Slot, WeekParity Week)>();
        var lessons = new List<WeeklyLessonInput>();
        var classes = region.Groups.Where(g => g.Kind == GroupKind.Class).ToList();
        for (var c = 0; c < classes.Count; c++)
        {
            var group = classes[c];
            var homeRoom = (101 + c).ToString(CultureInfo.InvariantCulture);
            var wanted = new List<(TeachingAssignment Assignment, string Code, WeekParity Week)>();
            var half = WeekParity.A;
            foreach (var assignment in region.Assignments.Where(a => a.GroupId == group.Id))
            {
                var code = region.Subjects.First(s => s.Id == assignment.SubjectId).Code;
                var hours = s_hours.GetValueOrDefault(code, 1);
                if (code == "ESP" && group.Level == "6e")
                {
                    continue;
                }

                for (var h = 0; h < (int)hours; h++)
                {
                    wanted.Add((assignment, code, WeekParity.Every));
                }

                if (hours % 1 != 0)
                {
                    wanted.Add((assignment, code, half));
                    half = half == WeekParity.A ? WeekParity.B : WeekParity.A;
                }
            }

            // Round robin over subjects spreads each subject over the week.
            var ordered = wanted.GroupBy(w => w.Code).SelectMany(g => g.Select((w, i) => (w, i))).OrderBy(x => x.i).Select(x => x.w).ToList();
            var days = new Dictionary<string, HashSet<DayOfWeek>>(StringComparer.Ordinal);
            foreach (var (assignment, code, week) in ordered)
            {
                var taken = days.TryGetValue(code, out var d) ? d : days[code] = [];
                var weeks = week == WeekParity.Every ? new[] { WeekParity.A, WeekParity.B } : [week];
                var candidates = Enumerable.Range(0, slots.Count).Select(i => (i + (c * 5)) % slots.Count)
                    .OrderBy(i => taken.Contains(slots[i].Day) ? 1 : 0);
                foreach (var i in candidates)
                {
                    var room = s_rooms.GetValueOrDefault(code, homeRoom);
                    if (weeks.Any(w => busy.Contains((group.Id, i, w)) || busy.Contains((assignment.TeacherId, i, w)) || rooms.Contains((room, i, w))))
                    {
                        continue;
                    }

                    foreach (var w in weeks)
                    {
                        busy.Add((group.Id, i, w));
                        busy.Add((assignment.TeacherId, i, w));
                        rooms.Add((room, i, w));
                    }

                    taken.Add(slots[i].Day);
                    lessons.Add(new WeeklyLessonInput(group.Id, assignment.SubjectId, assignment.TeacherId, slots[i].Day, slots[i].Start,
                        slots[i].End, week, room));
                    break;
                }
            }
        }

        // Latin groups mix pupils of several classes: after the last lesson, one weekday each.
        var latinDays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Friday };
        var latin = region.Assignments.Where(a => region.Groups.Any(g => g.Id == a.GroupId && g.Kind == GroupKind.Group)).ToList();
        for (var i = 0; i < latin.Count; i++)
        {
            lessons.Add(new WeeklyLessonInput(latin[i].GroupId, latin[i].SubjectId, latin[i].TeacherId, latinDays[i % latinDays.Length],
                new TimeOnly(16, 35), new TimeOnly(17, 30), WeekParity.Every, s_rooms["LATIN"]));
        }

        // Written as the timetabling software's CSV and imported, as a school's own timetable would be.
        var french = CultureInfo.GetCultureInfo("fr-FR");
        var csv = new StringBuilder("jour;debut;duree;matiere;enseignant;classe;salle;semaine\n");
        foreach (var l in lessons)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{french.DateTimeFormat.GetDayName(l.Day)};{l.Start:HH:mm};{(int)(l.End - l.Start).TotalMinutes};")
                .Append(CultureInfo.InvariantCulture, $"{region.Subjects.First(s => s.Id == l.SubjectId).Code};{region.People.First(p => p.Person.Id == l.TeacherId).Login};")
                .Append(CultureInfo.InvariantCulture, $"{region.Groups.First(g => g.Id == l.GroupId).Name};{l.Room};")
                .Append(l.Weeks == WeekParity.Every ? "" : l.Weeks.ToString()).Append('\n');
        }

        await using var scope = services.CreateAsyncScope();
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
        var result = await TimetableImport.RunAsync(scope.ServiceProvider.GetRequiredService<PreauDbContext>(),
            scope.ServiceProvider.GetRequiredService<TimetableVersion>(), region.Schools[0].Id, file, dryRun: false, replace: false, ct);
        if (!result.Applied)
        {
            throw new InvalidOperationException("Emploi du temps de démonstration refusé : " + string.Join(" ", result.Errors.Concat(result.Conflicts)));
        }
    }

    /// <summary>Today when the class has lessons today, else the next day it has some.</summary>
    private static async Task<DateOnly> NextSchoolDayAsync(IServiceProvider services, Guid classId, DateOnly today, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var lessons = await scope.ServiceProvider.GetRequiredService<TimetableService>().OccurrencesAsync([classId], null, today, today.AddDays(7), ct);
        return lessons.Count > 0 ? lessons[0].Date : today;
    }

    /// <summary>On the pupil's next school day: one lesson cancelled, another moved to another room.</summary>
    private static async Task AddChangesAsync(IServiceProvider services, DemoCast cast, Guid classId, DateOnly day, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var lessons = await scope.ServiceProvider.GetRequiredService<TimetableService>().OccurrencesAsync([classId], null, day, day, ct);
        var writes = scope.ServiceProvider.GetRequiredService<TimetableWrites>();
        var school = cast.Pupil.SchoolId!.Value;
        if (lessons.Count > 1)
        {
            await writes.ChangeAsync(school, lessons[^1].LessonId,
                new LessonChangeInput(day, LessonChangeKind.Cancelled, null, null, "Professeur absent : le travail est dans le cahier de textes."), ct);
        }

        if (lessons.Count > 0)
        {
            await writes.ChangeAsync(school, lessons[0].LessonId,
                new LessonChangeInput(day, LessonChangeKind.RoomChange, "CDI", null, "Travail en autonomie au CDI."), ct);
        }
    }

    /// <summary>For every class, the lessons of the past week get their content and those of the
    /// coming week their homework, written by the class's own teachers; some come with a file.</summary>
    private static async Task AddHomeworkAsync(IServiceProvider services, GeneratedRegion region, DemoCast cast, DateOnly today, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var homework = scope.ServiceProvider.GetRequiredService<HomeworkService>();
        var timetable = scope.ServiceProvider.GetRequiredService<TimetableService>();
        var created = new List<(Guid Id, Guid ClassId, DateOnly Date)>();
        foreach (var group in region.Groups.Where(g => g.Kind == GroupKind.Class))
        {
            var lessons = await timetable.OccurrencesAsync([group.Id], null, today.AddDays(-7), today.AddDays(7), ct);
            foreach (var bySubject in lessons.GroupBy(l => l.SubjectName))
            {
                var subject = region.Subjects.First(s => s.Name == bySubject.Key);
                if (!s_work.TryGetValue(subject.Code, out var work))
                {
                    continue;
                }

                var teacherId = region.Assignments.First(a => a.GroupId == group.Id && a.SubjectId == subject.Id).TeacherId;
                var n = 0;
                // The last two lessons' contents and the next three lessons' homework: each entry is a
                // real write (timeline included), and the first start must stay short.
                var chosen = bySubject.Where(l => l.Date < today).TakeLast(2).Concat(bySubject.Where(l => l.Date >= today).Take(3));
                foreach (var lesson in chosen)
                {
                    var (task, content) = work[n++ % work.Length];
                    var past = lesson.Date < today;
                    var input = new HomeworkInput(past ? HomeworkKind.Lesson : HomeworkKind.Homework, past ? content : task,
                        past ? "Cours du jour et exercices corrigés." : "À faire pour ce cours. **Soignez la présentation.**",
                        subject.Id, lesson.Date, past ? null : 20 + (n * 5 % 25),
                        // The next homework of each subject collects work, so the hand-in pages have something to show.
                        HandIn: !past && n == 3 ? new HandInInput(HandInMode.TextAndFiles, new TimeOnly(8, 0), LateAllowed: true) : null);
                    var attached = new List<StoredFile>();
                    if (task.Contains("(jointe)", StringComparison.Ordinal) || (past && n == 1))
                    {
                        using var text = new MemoryStream(Encoding.UTF8.GetBytes($"{input.Title}\n\n1. Premier exercice\n2. Deuxième exercice\n"));
                        var file = (await homework.SaveFileAsync(text, past ? "cours.txt" : "fiche-exercices.txt", ct)).File;
                        attached.AddRange(file is null ? [] : [file]);
                    }

                    var (outcome, id, _) = await homework.CreateAsync(teacherId, group.Id, input, attached, ct);
                    if (outcome == WriteOutcome.Ok && !past)
                    {
                        created.Add((id, group.Id, lesson.Date));
                    }
                }
            }
        }

        // In the demo pupil's class, some pupils (the demo pupil among them) have already done some
        // of the coming work: each tick is a write through the service, so one class is enough.
        var pupilClass = ClassOf(region, cast.Pupil.Id);
        var classmates = region.Memberships.Where(m => m.GroupId == pupilClass).Select(m => m.PupilId).ToList();
        foreach (var (id, _, _) in created.Where(c => c.ClassId == pupilClass).Where((_, i) => i % 3 == 0))
        {
            foreach (var pupil in classmates.Where((p, i) => i % 4 == 0 || p == cast.Pupil.Id))
            {
                await homework.SetDoneAsync(pupil, id, true, ct);
            }
        }
    }

    /// <summary>The teacher writes to the demo parent, who answers; the staff write to the class's parents.</summary>
    private static async Task AddMessagesAsync(IServiceProvider services, GeneratedRegion region, DemoCast cast, Guid classId, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var messaging = scope.ServiceProvider.GetRequiredService<MessagingService>();
        var child = cast.Pupil.FirstName;
        var sent = await messaging.SendAsync(cast.Teacher.Id, [AudienceToken.Person(cast.Parent.Id).ToString()], $"Travail de {child} en mathématiques",
            $"Bonjour,\n\n{child} a bien progressé ce trimestre. Pendant la fermeture, les exercices sont dans le cahier de textes ; "
            + "n'hésitez pas à m'écrire en cas de difficulté.\n\nBien cordialement,\n" + $"{cast.Teacher.FirstName} {cast.Teacher.LastName}",
            null, null, ct);
        if (sent.Status == SendStatus.Sent)
        {
            await messaging.ReplyAsync(cast.Parent.Id, sent.MessageId,
                $"Bonjour,\n\nmerci pour ce message. {child} n'a pas d'imprimante : peut-on rendre la fiche sur papier libre ?\n\nCordialement", false, null, ct);
        }

        await messaging.SendAsync(cast.Staff.Id, [new AudienceToken(AudienceKind.GroupParents, classId).ToString()],
            "Continuité pédagogique", "Madame, Monsieur,\n\nle collège reste joignable par la messagerie de Préau pendant la fermeture.\n\nLa vie scolaire",
            null, null, ct);
        var otherParent = region.Guardians.First(g => g.ParentId != cast.Parent.Id
            && region.Memberships.Any(m => m.PupilId == g.ChildId && m.GroupId == classId)).ParentId;
        await messaging.SendAsync(otherParent, [AudienceToken.Person(cast.Teacher.Id).ToString()], "Absence de mon enfant",
            "Bonjour,\n\nmon enfant est malade et ne pourra pas suivre le travail de cette semaine.\n\nMerci de votre compréhension.", null, null, ct);
    }

    /// <summary>The head tells all pupils and all parents (receipt asked), a teacher tells the
    /// pupil's class; some parents have read it.</summary>
    private static async Task AddNewsAsync(IServiceProvider services, GeneratedRegion region, DemoCast cast, Guid classId, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var news = scope.ServiceProvider.GetRequiredService<NewsService>();
        var school = cast.Pupil.SchoolId!.Value;
        var closure = await news.CreateAsync(cast.Head.Id, "Fermeture du collège : les cours continuent à distance",
            "Le collège est fermé jusqu'à nouvel ordre. Chaque matin, consultez **l'emploi du temps** et **le cahier de textes** ; "
            + "les professeurs répondent par la messagerie.",
            [new AudienceToken(AudienceKind.SchoolProfile, school, Profile.Pupil).ToString(), new AudienceToken(AudienceKind.SchoolProfile, school, Profile.Parent).ToString()],
            null, null, receiptRequired: true, ct);
        await news.CreateAsync(cast.Teacher.Id, "Contrôle de mathématiques reporté",
            "Le contrôle prévu est reporté à la réouverture. Révisez les fractions.",
            [new AudienceToken(AudienceKind.GroupPupils, classId).ToString(), new AudienceToken(AudienceKind.GroupParents, classId).ToString()],
            null, null, receiptRequired: false, ct);
        if (closure.Status != NewsStatus.Created)
        {
            return;
        }

        var readers = region.Guardians.Select(g => g.ParentId).Distinct().Where((_, i) => i % 3 == 0).Take(20).Append(cast.Parent.Id).Distinct();
        foreach (var reader in readers)
        {
            await news.GetAsync(reader, closure.Id, ct);
        }
    }
}
