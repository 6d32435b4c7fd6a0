using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Preau.Surge.Journey;

/// <summary>What the gate said: wait, come back in <see cref="Refresh"/>, probably admitted between Low and High seconds from now.</summary>
internal sealed record GateSignal(string State, TimeSpan Refresh, int? Position, int? EtaLow, int? EtaHigh)
{
    public bool Admitted => State == "admitted";

    /// <summary>
    /// The wait promised, or null: none given, or the range 0 to 2 h the gate gives while it is still estimating
    /// (every place taken, too few departures measured); the first number shown is the promise measured.
    /// </summary>
    public (int Low, int High)? Promise => EtaLow is { } low && EtaHigh is { } high && !(low == 0 && high >= 7200) ? (low, high) : null;
}

/// <summary>
/// Recognises the gate's answers. The gate contract leaves the page's form open, so three
/// signs are accepted: a <c>Preau-Gate</c> header, a JSON object with "state" and
/// "refreshSeconds", or an HTML page that refreshes itself (no ordinary Préau page does).
/// </summary>
internal static partial class GateParser
{
    public const string HeaderName = "Preau-Gate";
    public const string TicketHeaderName = "Preau-Gate-Ticket";

    [GeneratedRegex("http-equiv\\s*=\\s*[\"']?refresh[\"']?[^>]*content\\s*=\\s*[\"']?(\\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaRefresh();

    public static GateSignal? Detect(HttpAnswer answer)
    {
        var header = answer.Header(HeaderName);
        var json = answer.IsJson ? ParseStatus(answer.Body) : null;
        if (json is not null && !json.Admitted)
        {
            return json;
        }

        if (header is not null && !header.Equals("admitted", StringComparison.OrdinalIgnoreCase))
        {
            return new GateSignal(header.ToLowerInvariant(), answer.RetryAfter ?? RefreshFromHtml(answer) ?? TimeSpan.FromSeconds(5), null, null, null);
        }

        if (answer.IsHtml && RefreshFromHtml(answer) is { } refresh)
        {
            return new GateSignal("queued", refresh, null, null, null);
        }

        return null;
    }

    private static TimeSpan? RefreshFromHtml(HttpAnswer answer)
    {
        if (!answer.IsHtml)
        {
            return null;
        }

        var match = MetaRefresh().Match(answer.Body);
        return match.Success ? TimeSpan.FromSeconds(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>Reads a /api/v1/gate/status body (or a gated API answer with the same shape); null if it is not one.</summary>
    public static GateSignal? ParseStatus(string body)
    {
        if (body.Length == 0 || body[0] != '{')
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("state", out var state) || state.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("refreshSeconds", out var refresh) || !refresh.TryGetInt32(out var refreshSeconds))
            {
                return null;
            }

            int? position = root.TryGetProperty("position", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var pv) ? pv : null;
            int? low = null, high = null;
            if (root.TryGetProperty("etaSeconds", out var eta) && eta.ValueKind == JsonValueKind.Object)
            {
                low = eta.TryGetProperty("low", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var lv) ? lv : null;
                high = eta.TryGetProperty("high", out var h) && h.ValueKind == JsonValueKind.Number && h.TryGetInt32(out var hv) ? hv : null;
            }

            return new GateSignal(state.GetString()!.ToLowerInvariant(), TimeSpan.FromSeconds(Math.Max(refreshSeconds, 0)), position, low, high);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
