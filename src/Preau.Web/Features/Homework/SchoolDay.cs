namespace Preau.Web.Features.Homework;

/// <summary>"Today" as a French school sees it, whatever time zone the server runs in.</summary>
internal static class SchoolDay
{
    private static readonly TimeZoneInfo s_zone = FindZone();

    /// <summary>Dates on pages read "lundi 30 novembre" whatever the server's culture.</summary>
    public static System.Globalization.CultureInfo French { get; } = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");

    public static TimeZoneInfo Zone => s_zone;

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), s_zone).DateTime);

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
