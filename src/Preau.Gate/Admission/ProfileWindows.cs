using System.Globalization;

namespace Preau.Gate.Admission;

internal sealed record ClosedWindow(DateTimeOffset ReopensAt, string Message);

/// <summary>Per-profile closing windows ("parents from 8:00 to 10:00 while there is a queue").</summary>
internal static class ProfileWindows
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static ClosedWindow? Check(IEnumerable<GateWindowOptions> windows, string profile, DateTimeOffset now, bool surge)
    {
        foreach (var w in windows)
        {
            if (!string.Equals(w.Profile, profile, StringComparison.OrdinalIgnoreCase) || (w.OnlyDuringSurge && !surge))
            {
                continue;
            }
            var zone = Zone(w.TimeZone);
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var t = TimeOnly.FromDateTime(local.DateTime);
            var inside = w.From <= w.To ? t >= w.From && t < w.To : t >= w.From || t < w.To;
            if (!inside)
            {
                continue;
            }
            var reopenLocal = local.Date + w.To.ToTimeSpan();
            if (reopenLocal <= local.DateTime)
            {
                reopenLocal = reopenLocal.AddDays(1);
            }
            var reopens = new DateTimeOffset(reopenLocal, zone.GetUtcOffset(reopenLocal));
            var hour = reopenLocal.ToString("H' h 'mm", French);
            var message = w.Message ?? $"L'accès des {Plural(profile)} est fermé pendant l'affluence, pour laisser la place aux élèves et aux enseignants.";
            return new ClosedWindow(reopens, $"{message} Réouverture à {hour}.");
        }
        return null;
    }

    public static string Plural(string profile) => profile.ToLowerInvariant() switch
    {
        "parent" => "parents",
        "pupil" => "élèves",
        "teacher" => "enseignants",
        "staff" => "personnels",
        "schooladmin" => "administrateurs d'établissement",
        "regionadmin" => "administrateurs régionaux",
        _ => profile,
    };

    public static DateTimeOffset ToParis(DateTimeOffset now) => TimeZoneInfo.ConvertTime(now, Zone("Europe/Paris"));

    private static TimeZoneInfo Zone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
