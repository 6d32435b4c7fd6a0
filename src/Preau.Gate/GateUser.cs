using System.Text.Json.Serialization;

namespace Preau.Gate;

/// <summary>What the gate knows of a signed-in user: an opaque id and a profile name.</summary>
/// <param name="Id">Stable account id.</param>
/// <param name="Profile">Profile name, such as "Pupil", "Parent", "Teacher".</param>
public sealed record GateUser(string Id, string Profile);

/// <summary>Where a visitor stands; serialized as "admitted", "queued", "closed".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateState>))]
public enum GateState
{
    /// <summary>Using the application.</summary>
    [JsonStringEnumMemberName("admitted")]
    Admitted,

    /// <summary>Waiting in the queue.</summary>
    [JsonStringEnumMemberName("queued")]
    Queued,

    /// <summary>The visitor's profile is closed for now.</summary>
    [JsonStringEnumMemberName("closed")]
    Closed,
}

/// <summary>Estimated wait, as a range in seconds.</summary>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
public sealed record GateEta(int Low, int High);

/// <summary>The answer of <c>GET /api/v1/gate/status</c>.</summary>
/// <param name="State">admitted, queued or closed.</param>
/// <param name="Position">Place in the queue, null when admitted or while the fair-start draw is open.</param>
/// <param name="EtaSeconds">Estimated wait; null when admitted.</param>
/// <param name="RefreshSeconds">When to ask again.</param>
/// <param name="Message">French explanation (capacity drop, closing window), if any.</param>
/// <param name="ReopensAt">When a closed profile reopens.</param>
public sealed record GateStatus(GateState State, long? Position, GateEta? EtaSeconds, int RefreshSeconds, string? Message, DateTimeOffset? ReopensAt)
{
    /// <summary>The wait in words, as the waiting page shows it.</summary>
    public string? EtaText { get; init; }
}
