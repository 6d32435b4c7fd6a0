using Npgsql;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>A fresh, empty database for one test app: a SQLite file or a PostgreSQL database
/// on the real server that test.sh starts (PREAU_TEST_POSTGRES).</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract string Provider { get; }
    public abstract string ConnectionString { get; }
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("preau-test-").FullName;

    public static TestDatabase Create(string provider) => provider switch
    {
        "Sqlite" => new SqliteTestDatabase(),
        "Postgres" => new PostgresTestDatabase(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    public virtual ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open on a slow shutdown: the temp folder is cleaned by the OS later
        }

        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private sealed class SqliteTestDatabase : TestDatabase
    {
        public override string Provider => "Sqlite";
        public override string ConnectionString => $"Data Source={Path.Combine(DataDirectory, "preau.db")};Pooling=False";
    }

    private sealed class PostgresTestDatabase : TestDatabase
    {
        private readonly string _server;
        private readonly string _name = "preau_test_" + Guid.NewGuid().ToString("N")[..16];

        public PostgresTestDatabase()
        {
            _server = Environment.GetEnvironmentVariable("PREAU_TEST_POSTGRES")
                ?? throw new InvalidOperationException(
                    "PREAU_TEST_POSTGRES is not set: run the tests with ./test.sh, which starts PostgreSQL.");
            using var connection = new NpgsqlConnection(_server);
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {_name}", connection);
            command.ExecuteNonQuery();
        }

        public override string Provider => "Postgres";
        public override string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ToString();

        public override async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
            await base.DisposeAsync();
        }
    }
}
