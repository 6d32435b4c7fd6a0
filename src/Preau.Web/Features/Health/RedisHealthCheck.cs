using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Preau.Web.Features.Health;

/// <summary>PING on the gate's Redis, over a connection of its own made on the first check (a node
/// must start, and say it is ready, while Redis is down).</summary>
internal sealed class RedisHealthCheck(IConfiguration configuration) : IHealthCheck, IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _connection = new(() =>
    {
        var options = ConfigurationOptions.Parse(configuration["Gate:Redis"]!);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        return ConnectionMultiplexer.Connect(options);
    });

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await _connection.Value.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis ne répond pas.", e);
        }
    }

    public void Dispose()
    {
        if (_connection.IsValueCreated)
        {
            _connection.Value.Dispose();
        }
    }
}
