namespace Preau.Web.Features.Homework;

/// <summary>"Today" as a French school sees it, whatever time zone the server runs in.</summary>
internal static class SchoolDay
{
    private static readonly TimeZoneInfo s_zone = FindZone();

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
