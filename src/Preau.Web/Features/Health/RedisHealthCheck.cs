using Microsoft.Extensions.Diagnostics.HealthChecks;
using Preau.Web.Infrastructure;
using StackExchange.Redis;

namespace Preau.Web.Features.Health;

/// <summary>PING on the region's Redis over the connection the node already keeps for its caches (the same
/// Redis as the gate's unless <c>Cluster:Redis</c> names another): no connection of its own, although the
/// load balancer asks every second. A node starts, and says it is ready, while Redis is down.</summary>
internal sealed class RedisHealthCheck(CacheBus bus) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (bus.Database is not { } redis)
        {
            return HealthCheckResult.Healthy("Un seul nœud : pas de Redis.");
        }
        try
        {
            await redis.PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis ne répond pas.", e);
        }
    }
}
