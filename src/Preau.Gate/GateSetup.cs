using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Preau.Gate.Admission;
using Preau.Gate.Store;
using StackExchange.Redis;

namespace Preau.Gate;

/// <summary>Registration of the gate in a host: <c>AddPreauGate</c>, <c>UsePreauGate</c>, <c>MapPreauGate</c>.</summary>
public static class GateSetup
{
    /// <summary>Name of the gate's Meter, for the host's metrics exporter (<c>AddMeter(GateSetup.MeterName)</c>).</summary>
    public const string MeterName = GateMetrics.MeterName;

    /// <summary>
    /// Binds section <c>Gate</c>, picks the Redis store when <c>Gate:Redis</c> is set (in-process otherwise),
    /// and lets the host say who the user is through <paramref name="configure"/> (<see cref="GateOptions.ResolveUser"/>).
    /// </summary>
    public static IServiceCollection AddPreauGate(this IServiceCollection services, IConfiguration configuration, Action<GateOptions>? configure = null)
    {
        var builder = services.AddOptions<GateOptions>()
            .Bind(configuration.GetSection(GateOptions.SectionName))
            .PostConfigure(o => o.ApplyDefaults());
        if (configure is not null)
        {
            builder.Configure(configure);
        }
        builder.ValidateDataAnnotations()
            .Validate(o => new[] { o.Routes.Status, o.Routes.Waiting, o.Routes.PublicStatus }.All(r => r.StartsWith('/')), "Gate: routes must start with '/'.")
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.LatencyTarget > TimeSpan.Zero && o.ControlInterval > TimeSpan.Zero && o.RedisRetryInterval > TimeSpan.Zero,
                "Gate: IdleTimeout, LatencyTarget, ControlInterval and RedisRetryInterval must be positive.")
            .Validate(o => o.ClaimGrace > TimeSpan.Zero && o.FairStartWindow >= TimeSpan.Zero && o.WarmUp >= TimeSpan.Zero && o.DepartureWindow >= TimeSpan.FromSeconds(10),
                "Gate: ClaimGrace must be positive, FairStartWindow and WarmUp not negative, DepartureWindow at least 10 s.")
            .Validate(o => o.Lanes.Count > 0 && o.Lanes.ContainsKey(o.AnonymousLane), "Gate: AnonymousLane must name one of Gate:Lanes.")
            .Validate(o => o.Lanes.Keys.All(k => k.Length > 0 && !k.Contains('|', StringComparison.Ordinal) && !k.Contains(':', StringComparison.Ordinal)), "Gate: lane names may not contain '|' or ':'.")
            .Validate(o => o.Lanes.Values.Sum(l => l.Share) <= 100.0001, "Gate: lane shares add up to more than 100%.")
            .Validate(o => o.MinAdmissionsPerSecond <= o.MaxAdmissionsPerSecond, "Gate: MinAdmissionsPerSecond exceeds MaxAdmissionsPerSecond.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(sp => new GateLimits(sp.GetRequiredService<IOptions<GateOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<InMemoryGateStore>();
        services.TryAddSingleton<GateRedis>();
        services.TryAddSingleton<IGateStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GateOptions>>().Value;
            var redis = sp.GetRequiredService<GateRedis>();
            if (redis.Store is null)
            {
                return sp.GetRequiredService<InMemoryGateStore>();
            }
            return new FallbackGateStore(redis.Store, new InMemoryGateStore(), options.FallbackFraction, options.RedisRetryInterval,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FallbackGateStore>>());
        });
        services.TryAddSingleton<GateKeys>();
        services.TryAddSingleton<PromiseLedger>();
        services.TryAddSingleton<GateMonitor>();
        services.TryAddSingleton<GateMetrics>();
        services.TryAddSingleton<AdmissionController>();
        services.TryAddSingleton<PreauGate>();
        services.TryAddSingleton<IPreauGate>(sp => sp.GetRequiredService<PreauGate>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GateBackgroundService>());
        return services;
    }

    /// <summary>Adds the gate middleware. Place it after authentication and authorization, so that it knows the user.</summary>
    public static IApplicationBuilder UsePreauGate(this IApplicationBuilder app) => app.UseMiddleware<GateMiddleware>();

    /// <summary>Maps the status endpoint, the waiting page and the public status page at <see cref="GateOptions.Routes"/>.
    /// All three are anonymous by design: they speak only of the caller's own ticket or of public figures.</summary>
    public static IEndpointRouteBuilder MapPreauGate(this IEndpointRouteBuilder endpoints)
    {
        var routes = endpoints.ServiceProvider.GetRequiredService<IOptions<GateOptions>>().Value.Routes;
        var group = endpoints.MapGroup("").WithTags("Gate").AllowAnonymous().SkipGate().DisableAntiforgery();
        group.MapGet(routes.Status, GateEndpoints.StatusAsync);
        group.MapGet(routes.Waiting, GateEndpoints.WaitingAsync);
        group.MapGet(routes.PublicStatus, GateEndpoints.PublicStatusAsync);
        return endpoints;
    }

    /// <summary>Owns the gate's own Redis connection, if any.</summary>
    internal sealed class GateRedis : IDisposable
    {
        private readonly ConnectionMultiplexer? _connection;

        public GateRedis(IOptions<GateOptions> options)
        {
            var o = options.Value;
            if (string.IsNullOrWhiteSpace(o.Redis))
            {
                return;
            }
            var config = ConfigurationOptions.Parse(o.Redis);
            config.AbortOnConnectFail = false; // start even if Redis is down: the fallback store serves
            config.BacklogPolicy = BacklogPolicy.FailFast; // while disconnected, fail at once: no request waits for a reconnect
            config.ReconnectRetryPolicy = new LinearRetry(1000);
            config.ConnectTimeout = Math.Min(config.ConnectTimeout, 2000);
            config.SyncTimeout = Math.Min(config.SyncTimeout, 2000);
            config.AsyncTimeout = Math.Min(config.AsyncTimeout, 2000);
            _connection = ConnectionMultiplexer.Connect(config);
            Store = new RedisGateStore(_connection, o.RedisPrefix, guarded: true);
        }

        public RedisGateStore? Store { get; }

        public void Dispose() => _connection?.Dispose();
    }
}
