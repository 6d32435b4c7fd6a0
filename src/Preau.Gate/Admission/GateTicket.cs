using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Preau.Gate.Admission;

/// <summary>
/// What the signed cookie (or the ticket header) carries: the visitor id the ticket is held under, the
/// admission if any (key, lane, last activity), the last wait shown so that it never rises silently, and
/// when the visitor started waiting, and the first wait promised with when it was shown, to measure whether
/// promises hold (a wait shown "en cours d'estimation" first is measured from the first number, not from the queue).
/// </summary>
internal sealed record GateTicket(
    string VisitorId,
    string? AdmittedKey,
    string? AdmittedLane,
    long SeenMs,
    int EtaLow,
    int EtaHigh,
    long Epoch,
    long QueuedMs = 0,
    int FirstLow = -1,
    int FirstHigh = -1,
    long PromisedMs = 0)
{
    public static GateTicket New() => new(NewVisitorId(), null, null, 0, -1, -1, 0);

    public static string NewVisitorId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public bool HasEta => EtaLow >= 0 && EtaHigh >= 0;

    /// <summary>The same ticket with no wait in progress: no range shown, no queue time, no promise.</summary>
    public GateTicket WithoutWait() => this with { EtaLow = -1, EtaHigh = -1, QueuedMs = 0, FirstLow = -1, FirstHigh = -1, PromisedMs = 0 };
}

/// <summary>HMAC-SHA256 signing of <see cref="GateTicket"/>; a forged or altered ticket reads as none.</summary>
internal sealed class GateTicketCodec(byte[] key)
{
    private const string Version = "3";

    public string Encode(GateTicket t)
    {
        var payload = string.Join('\n',
            Version,
            t.VisitorId,
            t.AdmittedKey ?? "",
            t.AdmittedLane ?? "",
            t.SeenMs.ToString(CultureInfo.InvariantCulture),
            t.EtaLow.ToString(CultureInfo.InvariantCulture),
            t.EtaHigh.ToString(CultureInfo.InvariantCulture),
            t.Epoch.ToString(CultureInfo.InvariantCulture),
            t.QueuedMs.ToString(CultureInfo.InvariantCulture),
            t.FirstLow.ToString(CultureInfo.InvariantCulture),
            t.FirstHigh.ToString(CultureInfo.InvariantCulture),
            t.PromisedMs.ToString(CultureInfo.InvariantCulture));
        var bytes = Encoding.UTF8.GetBytes(payload);
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(Sign(bytes));
    }

    public GateTicket? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2048)
        {
            return null;
        }
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }
        try
        {
            var bytes = Base64Url.DecodeFromChars(value.AsSpan(0, dot));
            var signature = Base64Url.DecodeFromChars(value.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(signature, Sign(bytes)))
            {
                return null;
            }
            var parts = Encoding.UTF8.GetString(bytes).Split('\n');
            // versions 1 (before the queue time and first promise were carried) and 2 (before the time the first
            // promise was shown) still read: an admitted visitor is not sent back to the queue by a deployment,
            // and a promise of version 2 is measured from the queue, as it was
            var v1 = parts.Length == 8 && parts[0] == "1";
            var v2 = parts.Length == 11 && parts[0] == "2";
            if (!v1 && !v2 && (parts.Length != 12 || parts[0] != Version))
            {
                return null;
            }
            if (v1)
            {
                parts = [.. parts, "0", "-1", "-1"];
            }
            if (v1 || v2)
            {
                parts = [.. parts, parts[8]];
            }
            return new GateTicket(
                parts[1],
                parts[2].Length == 0 ? null : parts[2],
                parts[3].Length == 0 ? null : parts[3],
                long.Parse(parts[4], CultureInfo.InvariantCulture),
                int.Parse(parts[5], CultureInfo.InvariantCulture),
                int.Parse(parts[6], CultureInfo.InvariantCulture),
                long.Parse(parts[7], CultureInfo.InvariantCulture),
                long.Parse(parts[8], CultureInfo.InvariantCulture),
                int.Parse(parts[9], CultureInfo.InvariantCulture),
                int.Parse(parts[10], CultureInfo.InvariantCulture),
                long.Parse(parts[11], CultureInfo.InvariantCulture));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private byte[] Sign(byte[] payload) => HMACSHA256.HashData(key, payload).AsSpan(0, 16).ToArray();
}
