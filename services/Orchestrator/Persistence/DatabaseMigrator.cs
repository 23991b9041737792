using Microsoft.EntityFrameworkCore;
using Npgsql;
using Workflow.ServiceDefaults;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// Applies pending migrations before the bus starts consuming. Several Orchestrator instances may
/// start together: a PostgreSQL advisory lock lets one migrate while the others wait, then find nothing to do.
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<JobDbContext> dbContextFactory, ILogger<DatabaseMigrator> logger) : IHostedService
{
    // An arbitrary constant that names "Workflow schema migration" among advisory locks.
    const long MigrationLockKey = 0x576F726B666C6F77;

    public Task StartAsync(CancellationToken cancellationToken) =>
        StartupRetry.RunAsync("PostgreSQL", MigrateAsync, StartupRetry.PostgresNotReachable, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbContextFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migrations: {Migrations}", pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken);
            }

        }
        finally
        {
            // Pooled sessions are not reset when they go back to the pool, so the lock is released here, whatever
            // happened above.
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock_all()", CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The session is gone, and its locks with it.
            }

            await db.Database.CloseConnectionAsync();
        }
    }
}
