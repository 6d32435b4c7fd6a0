using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Preau.Web.Infrastructure;
using StackExchange.Redis;

namespace Preau.Web.Shared.Files;

/// <summary>
/// A region's nodes keep attachments, drafts and imports in one shared directory
/// (<c>Storage:DataDirectory</c>, mounted on every node): a file written through one node is read
/// through any other. A node given its own disk by mistake would lose files silently, so on start each
/// node of a region (Redis configured) compares the mark written in its directory with the region's
/// mark kept in Redis, and refuses to start when they differ. The first node to start sets both; nodes
/// started at the same instant on a fresh region agree, because the mark file appears whole or not at all
/// (written aside, then linked into place without overwriting) and Redis keeps the first mark offered.
/// </summary>
internal sealed class SharedDirectoryCheck(CacheBus bus, IOptions<StorageOptions> storage, IOptions<ClusterOptions> cluster,
    ILogger<SharedDirectoryCheck> log) : IHostedService
{
    private const string MarkFile = "region-storage.id";

    private bool _checked;

    /// <summary>A node run as a program checks before it starts (<see cref="StartChecks"/>: one French line, exit 2);
    /// a host started another way (tests) checks here.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _checked ? Task.CompletedTask : CheckAsync(cancellationToken);

    /// <exception cref="StartRefusedException">The directory is not the region's.</exception>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        _checked = true;
        if (bus.Database is not { } redis)
        {
            return;
        }

        var directory = storage.Value.FullDataDirectory;
        var mark = await ReadOrWriteMarkAsync(directory, cancellationToken);
        var key = new RedisKey(cluster.Value.Channel + ":storage");
        string? regionMark;
        try
        {
            await redis.StringSetAsync(key, mark, when: When.NotExists);
            regionMark = await redis.StringGetAsync(key);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            log.LogWarning("Redis unreachable ({Error}): the shared data directory {Directory} was not checked.", e.Message, directory);
            return;
        }

        if (regionMark != mark)
        {
            throw new StartRefusedException(
                $"le dossier de données « {directory} » n'est pas celui des autres nœuds de la région. " +
                "Dans une région, Storage:DataDirectory doit être un dossier partagé (NFS ou équivalent) monté sur chaque nœud : " +
                "pièces jointes, brouillons et imports y sont écrits par un nœud et lus par les autres. " +
                $"Si tout le dossier de la région a été déplacé, effacez la clé Redis « {key} » puis redémarrez les nœuds.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static async Task<string> ReadOrWriteMarkAsync(string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, MarkFile);
        if (!File.Exists(path))
        {
            // Written whole under a name of its own, then moved into place without overwriting: a node
            // starting at the same instant never reads a mark half-written by another.
            var aside = Path.Combine(directory, $"{MarkFile}.{Environment.ProcessId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
            await File.WriteAllTextAsync(aside, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), ct);
            try
            {
                File.Move(aside, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // another node won: its mark is the region's
            }
            finally
            {
                File.Delete(aside);
            }
        }

        return (await File.ReadAllTextAsync(path, ct)).Trim();
    }
}
