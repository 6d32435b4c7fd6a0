using Preau.Surge.Cli;

namespace Preau.Surge.Schedule;

internal enum ArrivalProfile
{
    /// <summary>Most of the population inside the window, peaking in its middle (a school morning).</summary>
    Spike,

    /// <summary>A constant rate across the window.</summary>
    Steady,
}

internal sealed record Arrival(int UserIndex, TimeSpan At, int AccountIndex);

/// <summary>
/// The whole open-loop schedule is computed before the first request, so a slow server can
/// never slow arrivals down (that is what a closed pool of connections gets wrong) and two
/// targets in <c>compare</c> receive exactly the same people at exactly the same times.
/// </summary>
internal static class ArrivalSchedule
{
    public const int MaxUsers = 2_000_000;

    public static IReadOnlyList<Arrival> Create(int users, TimeSpan window, ArrivalProfile profile, int seed, int accountCount)
    {
        if (users < 1 || users > MaxUsers)
        {
            throw new SurgeInputException($"--users doit être entre 1 et {MaxUsers}.");
        }

        if (window <= TimeSpan.Zero)
        {
            throw new SurgeInputException("--window doit être positive.");
        }

        if (accountCount < 1)
        {
            throw new SurgeInputException("aucun compte pour les utilisateurs virtuels.");
        }

        var random = new Random(seed);
        var seconds = window.TotalSeconds;
        var offsets = new double[users];
        for (var i = 0; i < users; i++)
        {
            offsets[i] = profile switch
            {
                // Uniform order statistics are what a Poisson process looks like once the count is fixed.
                ArrivalProfile.Steady => random.NextDouble() * seconds,
                _ => TruncatedNormal(random, seconds),
            };
        }

        Array.Sort(offsets);

        // Accounts are shuffled so a spike does not sign in one school after the other in CSV order.
        var accountOrder = Enumerable.Range(0, accountCount).ToArray();
        random.Shuffle(accountOrder);
        var arrivals = new Arrival[users];
        for (var i = 0; i < users; i++)
        {
            arrivals[i] = new Arrival(i, TimeSpan.FromSeconds(offsets[i]), accountOrder[i % accountCount]);
        }

        return arrivals;
    }

    /// <summary>Normal centred on the window's middle, σ = window/6, redrawn outside the window (±3σ: 99.7 % already inside).</summary>
    private static double TruncatedNormal(Random random, double seconds)
    {
        while (true)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            var value = (seconds / 2) + (z * seconds / 6);
            if (value >= 0 && value <= seconds)
            {
                return value;
            }
        }
    }

    /// <summary>Peak arrival rate over average rate for a profile; the planner uses it when there is no gate.</summary>
    public static double PeakToMeanRatio(ArrivalProfile profile) => profile switch
    {
        ArrivalProfile.Steady => 1.0,
        // density at the mean: 1/(σ√(2π)) with σ = W/6, over the mean density 1/W, ≈ 2.39
        _ => 6.0 / Math.Sqrt(2 * Math.PI),
    };
}
