namespace Preau.Gate.Admission;

internal sealed record ClosedWindow(DateTimeOffset ReopensAt, string Message);

/// <summary>Per-profile closing windows ("this profile from 8:00 to 10:00 while there is a queue").</summary>
internal static class ProfileWindows
{
    public static ClosedWindow? Check(IEnumerable<GateWindowOptions> windows, string profile, DateTimeOffset now, bool surge, GateTexts texts)
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
            var hour = reopenLocal.ToString("H' h 'mm", texts.CultureInfo);
            var message = w.Message ?? texts.Format(texts.WindowClosed, texts.Plural(profile));
            return new ClosedWindow(reopens, message + " " + texts.Format(texts.WindowReopens, hour));
        }
        return null;
    }

    /// <summary>Local time in the zone people read times in.</summary>
    public static DateTimeOffset Local(DateTimeOffset now, GateTexts texts) => TimeZoneInfo.ConvertTime(now, Zone(texts.TimeZone));

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
