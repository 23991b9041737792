using Npgsql;
using Workflow.ServiceDefaults;

namespace Workflow.CombinationAnalyzer.History;

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
