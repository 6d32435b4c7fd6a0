using System.Globalization;
using System.Runtime.Serialization;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Preau.Data.Timetable;
using Preau.Web.Features.Homework;

namespace Preau.Web.Features.Timetable;

/// <summary>
/// Weekly lessons from an iCalendar file (documented in the README): each VEVENT repeating weekly
/// (<c>RRULE:FREQ=WEEKLY</c>) is a lesson. SUMMARY is the subject (code or name), CATEGORIES the class or
/// group, DESCRIPTION the teacher (login, "NOM Prénom" or "Prénom NOM"), LOCATION the room. INTERVAL=2 is
/// week A or week B, whichever DTSTART falls in; BYDAY with several days gives one lesson per day;
/// DTSTART's date and UNTIL bound the validity period. Times are read in the school's time zone.
/// </summary>
internal static class TimetableIcal
{
    public static bool IsCalendar(string text) => text.TrimStart().StartsWith("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase);

    public static (List<TimetableLesson> Lessons, List<string> Errors) Read(string text, LessonNames names, Guid school)
    {
        var lessons = new List<TimetableLesson>();
        var errors = new List<string>();
        Ical.Net.Calendar? calendar;
        try
        {
            calendar = Ical.Net.Calendar.Load(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or SerializationException)
        {
            calendar = null;
        }

        if (calendar is null)
        {
            errors.Add("Fichier iCalendar illisible (tronqué ou mal formé).");
            return (lessons, errors);
        }

        var number = 0;
        foreach (var ev in calendar.Events)
        {
            number++;
            var label = string.Create(CultureInfo.InvariantCulture, $"Événement {number} ({ev.Summary?.Trim()})");
            if (Problem(ev, names) is { } problem)
            {
                errors.Add($"{label} : {problem}.");
                continue;
            }

            var start = Local(ev.DtStart!);
            var end = ev.DtEnd is { } dtEnd ? Local(dtEnd) : start.Add(ev.Duration?.ToTimeSpanUnspecified() ?? TimeSpan.Zero);
            var rule = ev.RecurrenceRule!;
            var days = rule.ByDay.Count > 0 ? rule.ByDay.Select(d => d.DayOfWeek).Distinct() : [start.DayOfWeek];
            var date = DateOnly.FromDateTime(start);
            foreach (var day in days)
            {
                lessons.Add(new TimetableLesson
                {
                    SchoolId = school,
                    Day = day,
                    Start = TimeOnly.FromDateTime(start),
                    End = TimeOnly.FromDateTime(end),
                    SubjectId = names.Subject(ev.Summary!.Trim())!.Value,
                    TeacherId = names.Teacher(ev.Description!.Trim())!.Value,
                    GroupId = names.Group(ev.Categories[0].Trim())!.Value,
                    Room = ev.Location?.Trim() ?? "",
                    Weeks = rule.Interval == 2 ? TimetableService.ParityOf(date) : WeekParity.Every,
                    ValidFrom = date,
                    ValidTo = rule.Until is { } until ? DateOnly.FromDateTime(Local(until)) : null,
                });
            }
        }

        return (lessons, errors);
    }

    private static string? Problem(CalendarEvent ev, LessonNames names)
    {
        if (ev.RecurrenceRule is not { Frequency: FrequencyType.Weekly } rule)
        {
            return "pas de répétition hebdomadaire (RRULE:FREQ=WEEKLY)";
        }

        if (rule.Interval is not (1 or 2))
        {
            return "répétition toutes les semaines (INTERVAL=1) ou une semaine sur deux (INTERVAL=2) seulement";
        }

        if (ev.DtStart is not { HasTime: true } start)
        {
            return "heure de début absente (DTSTART)";
        }

        var end = ev.DtEnd is { } dtEnd ? Local(dtEnd) : Local(start).Add(ev.Duration?.ToTimeSpanUnspecified() ?? TimeSpan.Zero);
        var begin = Local(start);
        if (end <= begin || end.Date != begin.Date)
        {
            return "fin absente ou avant le début (DTEND ou DURATION)";
        }

        var subject = ev.Summary?.Trim() ?? "";
        var teacher = ev.Description?.Trim() ?? "";
        var group = ev.Categories.FirstOrDefault()?.Trim() ?? "";
        return names.Subject(subject) is null ? $"matière « {subject} » inconnue (SUMMARY)"
            : names.Teacher(teacher) is null ? $"enseignant « {teacher} » inconnu (DESCRIPTION)"
            : names.Group(group) is null ? $"classe ou groupe « {group} » inconnu (CATEGORIES)"
            : ev.Location?.Trim().Length > 50 ? "salle trop longue (LOCATION)"
            : null;
    }

    /// <summary>Wall-clock time at the school: UTC and zoned times converted, floating times taken as they are.</summary>
    private static DateTime Local(CalDateTime value) =>
        value.IsFloating ? value.Value : TimeZoneInfo.ConvertTime(value.AsUtc, SchoolDay.Zone);
}
