using StackExchange.Redis;

namespace Preau.Gate.Tests;

/// <summary>The real Redis started by test.sh (PREAU_TEST_REDIS), one connection for the whole run.</summary>
internal static class TestRedis
{
    private static readonly Lazy<ConnectionMultiplexer> Shared = new(() => ConnectionMultiplexer.Connect(ConnectionString));

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("PREAU_TEST_REDIS") is { Length: > 0 } value ? value : "127.0.0.1:56379";

    public static ConnectionMultiplexer Connection => Shared.Value;

    public static string NewPrefix() => "test:" + Guid.NewGuid().ToString("N");
}
