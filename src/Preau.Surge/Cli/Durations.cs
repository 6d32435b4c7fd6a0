using System.Globalization;

namespace Preau.Surge.Cli;

internal static class Durations
{
    /// <summary>Reads "500ms", "60s", "15m", "2h" or a bare number of seconds.</summary>
    public static TimeSpan Parse(string text, string optionName)
    {
        var t = text.Trim().ToLowerInvariant();
        (string number, double secondsPerUnit) = t switch
        {
            _ when t.EndsWith("ms", StringComparison.Ordinal) => (t[..^2], 0.001),
            _ when t.EndsWith('s') => (t[..^1], 1.0),
            _ when t.EndsWith('m') => (t[..^1], 60.0),
            _ when t.EndsWith('h') => (t[..^1], 3600.0),
            _ => (t, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || double.IsInfinity(value))
        {
            throw new SurgeInputException($"{optionName}: « {text} » n'est pas une durée (exemples : 500ms, 60s, 15m, 1h).");
        }

        return TimeSpan.FromSeconds(value * secondsPerUnit);
    }

    public static string Format(TimeSpan span) => span.TotalSeconds switch
    {
        < 1 => $"{span.TotalMilliseconds:0} ms",
        < 120 => $"{span.TotalSeconds:0.#} s",
        < 7200 => $"{span.TotalMinutes:0.#} min",
        _ => $"{span.TotalHours:0.#} h",
    };
}
