namespace Preau.Web.Features.Homework;

/// <summary>"Today" as a French school sees it, whatever time zone the server runs in.</summary>
internal static class SchoolDay
{
    private static readonly TimeZoneInfo s_zone = FindZone();

    /// <summary>Dates on pages read "lundi 30 novembre" whatever the server's culture.</summary>
    public static System.Globalization.CultureInfo French { get; } = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");

    public static TimeZoneInfo Zone => s_zone;

    /// <summary>Said when a date typed in a query or a form is outside <see cref="IsSupported"/>.</summary>
    public const string UnsupportedDateMessage = "La date doit être comprise entre 1900 et 2200.";

    /// <summary>Dates accepted from a query or a form: any school year, and far enough from
    /// DateOnly's limits that a week or a range around them never overflows.</summary>
    public static bool IsSupported(DateOnly? date) => date is not { } d || d.Year is >= 1900 and <= 2200;

    /// <summary>ValidationProblem errors for dates outside <see cref="IsSupported"/>, empty when both are fine.</summary>
    public static Dictionary<string, string[]> RangeErrors(DateOnly? from, DateOnly? to)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IsSupported(from))
        {
            errors["from"] = [UnsupportedDateMessage];
        }

        if (!IsSupported(to))
        {
            errors["to"] = [UnsupportedDateMessage];
        }

        return errors;
    }

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), s_zone).DateTime);

    /// <summary>A French wall-clock time on a date, as an instant; a time skipped by the spring change
    /// counts as the hour after.</summary>
    public static DateTimeOffset Instant(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (s_zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, s_zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Local;
        }
    }
}
