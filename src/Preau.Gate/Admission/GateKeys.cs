using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Preau.Gate.Store;
using StackExchange.Redis;

namespace Preau.Gate.Admission;

/// <summary>
/// The ticket signing key, loaded once, asynchronously: from configuration, else shared through Redis (created
/// by the first node), else random for this process. Started by the background service at host start.
/// </summary>
internal sealed class GateKeys(IOptions<GateOptions> options, GateSetup.GateRedis redis)
{
    private readonly Lazy<Task<GateTicketCodec>> _codec = new(() => LoadAsync(options.Value, redis.Store));

    public Task<GateTicketCodec> GetAsync() => _codec.Value;

    private static async Task<GateTicketCodec> LoadAsync(GateOptions options, RedisGateStore? store)
    {
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            return new GateTicketCodec(Convert.FromBase64String(options.SigningKey));
        }
        var candidate = RandomNumberGenerator.GetBytes(32);
        if (store is null)
        {
            return new GateTicketCodec(candidate);
        }
        try
        {
            return new GateTicketCodec(await store.GetOrCreateSigningKeyAsync(candidate));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new GateTicketCodec(candidate); // tickets of this node will not be read by others until restart
        }
    }
}
