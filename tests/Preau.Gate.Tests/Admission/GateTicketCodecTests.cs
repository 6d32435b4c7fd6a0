using System.Security.Cryptography;
using Preau.Gate.Admission;

namespace Preau.Gate.Tests.Admission;

public sealed class GateTicketCodecTests
{
    private readonly GateTicketCodec _codec = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Decode_EncodedTicket_RoundTrips()
    {
        var ticket = GateTicket.New() with { AdmittedKey = "a:42", AdmittedLane = "Pupil", SeenMs = 1234, EtaLow = 60, EtaHigh = 120, Epoch = 3, QueuedMs = 99, FirstLow = 70, FirstHigh = 130, PromisedMs = 150 };

        Assert.Equal(ticket, _codec.Decode(_codec.Encode(ticket)));
    }

    [Fact]
    public void Decode_VersionOneTicketOfAnAdmittedVisitor_StillAdmits()
    {
        var ticket = DecodeOlder("1\nvisitor\nv:visitor\nPupil\n1234\n-1\n-1\n0");

        Assert.Equal(("v:visitor", 1234L, 0L), (ticket?.AdmittedKey, ticket?.SeenMs, ticket?.QueuedMs));
    }

    [Fact]
    public void Decode_VersionTwoTicketWithAPromise_MeasuresItFromTheQueueAsBefore()
    {
        var ticket = DecodeOlder("2\nvisitor\n\n\n0\n20\n30\n1\n5000\n25\n35");

        Assert.Equal((5000L, 25, 35, 5000L), (ticket?.QueuedMs, ticket?.FirstLow, ticket?.FirstHigh, ticket?.PromisedMs));
    }

    /// <summary>A ticket of an older version, signed as the codec signs (the payload's lines as that version wrote them).</summary>
    private static GateTicket? DecodeOlder(string payloadText)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var payload = System.Text.Encoding.UTF8.GetBytes(payloadText);
        var signature = HMACSHA256.HashData(key, payload).AsSpan(0, 16).ToArray();
        var value = System.Buffers.Text.Base64Url.EncodeToString(payload) + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
        return new GateTicketCodec(key).Decode(value);
    }

    [Fact]
    public void Decode_TamperedTicket_ReadsAsNone()
    {
        var value = _codec.Encode(GateTicket.New());
        var forged = _codec.Encode(GateTicket.New() with { AdmittedKey = "a:1" });
        var mixed = forged[..forged.IndexOf('.', StringComparison.Ordinal)] + value[value.IndexOf('.', StringComparison.Ordinal)..];

        Assert.Null(_codec.Decode(mixed));
        Assert.Null(_codec.Decode("garbage"));
        Assert.Null(new GateTicketCodec(RandomNumberGenerator.GetBytes(32)).Decode(value));
    }
}
