using System.Security.Cryptography;
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
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.LatencyTarget > TimeSpan.Zero && o.ControlInterval > TimeSpan.Zero, "Gate: IdleTimeout, LatencyTarget and ControlInterval must be positive.")
            .Validate(o => o.ClaimGrace > TimeSpan.Zero && o.FairStartWindow >= TimeSpan.Zero, "Gate: ClaimGrace must be positive and FairStartWindow not negative.")
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
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GateOptions>>().Value;
            if (!string.IsNullOrEmpty(options.SigningKey))
            {
                return new GateTicketCodec(Convert.FromBase64String(options.SigningKey));
            }
            var candidate = RandomNumberGenerator.GetBytes(32);
            var redis = sp.GetRequiredService<GateRedis>();
            try
            {
                return new GateTicketCodec(redis.Store is null ? candidate : redis.Store.GetOrCreateSigningKeyAsync(candidate).GetAwaiter().GetResult());
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return new GateTicketCodec(candidate); // tickets of this node will not be read by others until restart
            }
        });
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

    /// <summary>Maps <c>/api/v1/gate/status</c>, the waiting page <c>/attente</c> and the public status page <c>/statut</c>.</summary>
    public static IEndpointRouteBuilder MapPreauGate(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").WithTags("Gate").AllowAnonymous().SkipGate().DisableAntiforgery();
        group.MapGet(GatePages.StatusPath, GateEndpoints.StatusAsync);
        group.MapGet(GatePages.WaitingPath, GateEndpoints.WaitingAsync);
        group.MapGet(GatePages.PublicStatusPath, GateEndpoints.PublicStatusAsync);
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
            config.ConnectTimeout = Math.Min(config.ConnectTimeout, 2000);
            config.SyncTimeout = Math.Min(config.SyncTimeout, 2000);
            config.AsyncTimeout = Math.Min(config.AsyncTimeout, 2000);
            _connection = ConnectionMultiplexer.Connect(config);
            Store = new RedisGateStore(_connection, o.RedisPrefix);
        }

        public RedisGateStore? Store { get; }

        public void Dispose() => _connection?.Dispose();
    }
}
