using Npgsql;
using Workflow.ServiceDefaults;

namespace Workflow.CombinationAnalyzer.History;

/// <summary>The history in the CombinationAnalyzer's own table, <c>analyzer.owner_combinations</c>.</summary>
public sealed class PostgresCombinationHistory(NpgsqlDataSource dataSource) : ICombinationHistory
{
    public async Task<IReadOnlySet<string>> LoadAsync(string owner, Guid exceptJobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT combination_key FROM analyzer.owner_combinations WHERE owner = $1 AND job_id <> $2");
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(exceptJobId);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public async Task RecordAsync(string owner, Guid jobId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO analyzer.owner_combinations (owner, combination_key, job_id, created_at) " +
            "SELECT $1, key, $2, now() FROM unnest($3::text[]) AS key ON CONFLICT (owner, combination_key) DO NOTHING");
        command.Parameters.AddWithValue(owner);
        command.Parameters.AddWithValue(jobId);
        command.Parameters.AddWithValue(keys.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// Creates the history table at start-up; an advisory lock keeps instances starting together from racing, held by the
/// transaction so that it ends with it, whatever happens.
/// </summary>
public sealed class CombinationHistorySchema(NpgsqlDataSource dataSource, ILogger<CombinationHistorySchema> logger) : IHostedService
{
    const long SchemaLockKey = 0x416E616C797A6572;

    public Task StartAsync(CancellationToken cancellationToken) =>
        StartupRetry.RunAsync("PostgreSQL", CreateAsync, StartupRetry.PostgresNotReachable, logger, cancellationToken);

    async Task CreateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            BEGIN;
            SELECT pg_advisory_xact_lock({SchemaLockKey});
            CREATE SCHEMA IF NOT EXISTS analyzer;
            CREATE TABLE IF NOT EXISTS analyzer.owner_combinations (
                owner text NOT NULL,
                combination_key text NOT NULL,
                job_id uuid NOT NULL,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (owner, combination_key));
            COMMIT;
            """,
            connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
