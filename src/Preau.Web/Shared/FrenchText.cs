using System.Globalization;

namespace Preau.Web.Shared;

/// <summary>French typography for what pages print: "mardi 1er décembre", a capital where a
/// sentence starts (in the text itself, not by CSS, so that screen readers and copies get it too),
/// singular for 0 and 1, and thousands grouped with a narrow no-break space ("20 000").</summary>
internal static class FrenchText
{
    private static readonly CultureInfo s_french = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>An instant as people in a French school read it ("30/11/2026 08:05"), in Europe/Paris whatever
    /// time zone the server runs in (a server in UTC would otherwise show every time an hour or two early).</summary>
    public static string Moment(DateTimeOffset instant, string format = "dd/MM/yyyy HH:mm") =>
        TimeZoneInfo.ConvertTime(instant, Features.Homework.SchoolDay.Zone).ToString(format, s_french);

    /// <summary>"mardi 1er décembre".</summary>
    public static string Day(DateOnly date) =>
        $"{date.ToString("dddd", s_french)} {(date.Day == 1 ? "1er" : date.Day.ToString(CultureInfo.InvariantCulture))} {date.ToString("MMMM", s_french)}";

    /// <summary>"mardi 1er décembre 2026".</summary>
    public static string DayWithYear(DateOnly date) => $"{Day(date)} {date.Year.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>"1er décembre", "15 décembre".</summary>
    public static string DayOfMonth(DateOnly date) =>
        $"{(date.Day == 1 ? "1er" : date.Day.ToString(CultureInfo.InvariantCulture))} {date.ToString("MMMM", s_french)}";

    public static string Capitalised(string text) =>
        text.Length == 0 ? text : char.ToUpper(text[0], s_french) + text[1..];

    /// <summary>"20 000" with U+202F between groups, whatever the ICU version's choice.</summary>
    public static string Number(long n) =>
        n.ToString("N0", s_french).Replace('\u00A0', '\u202F').Replace(' ', '\u202F');

    /// <summary>"12 Ko", "1,5 Mo": a no-break space before the unit, never "0 Ko" for a small file.</summary>
    public static string FileSize(long bytes) =>
        bytes < 1024 * 1024
            ? $"{Number(Math.Max(1, bytes / 1024))}\u00A0Ko"
            : $"{(bytes / (1024 * 1024.0)).ToString("0.#", s_french)}\u00A0Mo";

    /// <summary>"0 nouveauté", "1 personne", "2 personnes": French puts 0 and 1 in the singular.</summary>
    public static string Count(long n, string singular, string plural) => $"{Number(n)} {(n is 0 or 1 ? singular : plural)}";

    /// <summary>A measured figure with a decimal comma, whatever the server's culture: "12,5", "0,05".</summary>
    public static string Figure(double value, string format = "0.#") => value.ToString(format, s_french);

    /// <summary>A share as a whole percentage, a narrow no-break space before the sign: "5 %".</summary>
    public static string Percent(double share) => $"{Math.Round(share * 100).ToString("0", s_french)} %";

    /// <summary>A mark or an average as French readers write it: "12,5", "8", "13,33" (two decimals at most).</summary>
    public static string Decimal(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.##", s_french);
}
