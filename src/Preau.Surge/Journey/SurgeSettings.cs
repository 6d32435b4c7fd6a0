namespace Preau.Surge.Journey;

/// <summary>How every virtual person behaves in one run. Defaults are the ones documented in README.md.</summary>
internal sealed record SurgeSettings
{
    public required Uri Target { get; init; }

    /// <summary>Without any answer after this long, the person presses reload.</summary>
    public TimeSpan Impatience { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reloads (or retries after an error page) per step before the person gives up.</summary>
    public int MaxReloads { get; init; } = 3;

    /// <summary>Mean pause between two steps; each pause is drawn uniformly in [0.5, 1.5] × mean.</summary>
    public TimeSpan ThinkTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Share of people who close the page at the end instead of signing out: their place frees only when idle.</summary>
    public double WalkAwayShare { get; init; }

    public TimeSpan DurationLimit { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Longest Retry-After or refresh we obey, so a misbehaving server cannot park users past the run.</summary>
    public TimeSpan MaxServerDelay { get; init; } = TimeSpan.FromSeconds(60);

    public int Connections { get; init; } = 1024;

    public int Seed { get; init; } = 42;
}
