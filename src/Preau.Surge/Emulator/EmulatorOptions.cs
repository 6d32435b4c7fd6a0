namespace Preau.Surge.Emulator;

/// <summary>The knobs of the stand-in server. Defaults give a small node that a 2-core box can saturate.</summary>
internal sealed record EmulatorOptions
{
    public int Port { get; init; }

    public bool Gate { get; init; } = true;

    /// <summary>People let through the gate per second.</summary>
    public double AdmitPerSecond { get; init; } = 50;

    /// <summary>CPU burnt per sign-in, standing in for the password hash.</summary>
    public TimeSpan HashCost { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Sign-ins hashed at once (the hashing lane).</summary>
    public int HashLane { get; init; } = 2;

    /// <summary>Sign-ins allowed to wait for the lane before the rest get 503 + Retry-After.</summary>
    public int HashQueue { get; init; } = 200;

    public int Accounts { get; init; } = 1000;

    /// <summary>When false the homework endpoints are absent (404), as on a Préau without that feature.</summary>
    public bool Homework { get; init; } = true;
}
