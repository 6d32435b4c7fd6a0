using System.Data.Common;
using System.Diagnostics;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>
/// Counts the SQL commands EF Core sends to one test's database (matched by connection string, so
/// tests running in parallel on other databases do not count). Proves "no database round trip".
/// </summary>
public sealed class QueryCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string _connectionMarker;
    private readonly IDisposable _subscription;
    private readonly List<IDisposable> _listeners = [];
    private int _count;

    public QueryCounter(string connectionMarker)
    {
        _connectionMarker = connectionMarker;
        _subscription = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public int Count => Volatile.Read(ref _count);

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.EntityFrameworkCore")
        {
            lock (_listeners)
            {
                _listeners.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuting"
            && value.Value is Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData { Command: DbCommand command }
            && (command.Connection?.ConnectionString ?? "").Contains(_connectionMarker, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _subscription.Dispose();
        lock (_listeners)
        {
            _listeners.ForEach(l => l.Dispose());
        }
    }
}
