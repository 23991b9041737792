using Npgsql;

namespace Workflow.Bench.EndToEnd;

/// <summary>Transactions committed so far (<c>pg_stat_database.xact_commit</c>), per database.</summary>
public sealed record PostgresSnapshot(IReadOnlyDictionary<string, long> CommitsByDatabase)
{
    public long Total => CommitsByDatabase.Values.Sum();

    public long Of(string database) => CommitsByDatabase.GetValueOrDefault(database);
}

/// <summary>
/// Reads PostgreSQL's per-database statistics. It connects to another database than the system's (by default
/// <c>postgres</c>) so that its own queries do not count among the system's commits.
/// </summary>
public sealed class PostgresCounters(string connectionString) : IAsyncDisposable
{
    /// <summary>The system's database.</summary>
    public const string Database = "workflow";

    readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);

    public async Task<PostgresSnapshot> ReadAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT datname, xact_commit FROM pg_stat_database WHERE datname IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync();
        var commits = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            commits[reader.GetString(0)] = reader.GetInt64(1);
        }

        return new PostgresSnapshot(commits);
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
