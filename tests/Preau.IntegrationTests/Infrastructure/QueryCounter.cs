using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>
/// Counts the SQL commands EF Core sends to one test's database (matched by connection string, so
/// tests running in parallel on other databases do not count). Proves "no database round trip".
/// </summary>
/// <remarks>
/// EF Core caches for a second whether anyone listens to its commands (its logging cache time). A
/// counter that began listening just after a command was sent would therefore miss the next ones, and
/// count them only on a machine slow enough for the cache to expire: a test passing on a fast machine
/// and failing on a busy one. One listener is set up before any app starts (<see cref="Listen"/>,
/// called by <see cref="PreauAppFactory"/>) and stays, so EF always reports its commands.
/// </remarks>
public sealed class QueryCounter : IDisposable
{
    private const string CommandExecuting = "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuting";
    private static readonly ConcurrentDictionary<QueryCounter, byte> s_counting = new();
    private static readonly Lazy<IDisposable> s_listening = new(() => DiagnosticListener.AllListeners.Subscribe(new ListenerObserver()));

    private readonly string _connectionMarker;
    private readonly ConcurrentQueue<string> _commands = new();

    public QueryCounter(string connectionMarker)
    {
        Listen();
        _connectionMarker = connectionMarker;
        s_counting.TryAdd(this, 0);
    }

    /// <summary>
    /// The commands other than those on the request's session row: every signed-in request reads it (one
    /// primary-key read, so that a sign-out on any node ends the session at once), and at most once a minute
    /// writes when it was last seen.
    /// </summary>
    public IReadOnlyList<string> BesidesSessions => [.. _commands.Where(c => !OnSessions(c))];

    /// <summary>How many times a session row was read.</summary>
    public int SessionReads => _commands.Count(c => OnSessions(c) && c.StartsWith("SELECT", StringComparison.Ordinal));

    /// <summary>Makes EF report every command from now on; idempotent.</summary>
    public static void Listen() => _ = s_listening.Value;

    public void Dispose() => s_counting.TryRemove(this, out _);

    private static bool OnSessions(string command) => command.Contains("\"ServerSessions\"", StringComparison.Ordinal);

    private void Saw(DbCommand command)
    {
        if ((command.Connection?.ConnectionString ?? "").Contains(_connectionMarker, StringComparison.Ordinal))
        {
            _commands.Enqueue(command.CommandText);
        }
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.EntityFrameworkCore")
            {
                // Only the one event: the rest of EF's diagnostics stay off, as in production.
                value.Subscribe(new CommandObserver(), name => name == CommandExecuting);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class CommandObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == CommandExecuting
                && value.Value is Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData { Command: DbCommand command })
            {
                foreach (var counter in s_counting.Keys)
                {
                    counter.Saw(command);
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
