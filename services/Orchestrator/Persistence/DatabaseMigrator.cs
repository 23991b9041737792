using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// Applies pending migrations before the bus starts consuming. Several Orchestrator instances may
/// start together: a PostgreSQL advisory lock lets one migrate while the others wait, then find nothing to do.
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<JobDbContext> dbContextFactory, ILogger<DatabaseMigrator> logger) : IHostedService
{
    // An arbitrary constant that names "Workflow schema migration" among advisory locks.
    const long MigrationLockKey = 0x576F726B666C6F77;
    static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // PostgreSQL may still be starting (or restarting): wait for it rather than crash-looping.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && attempt < 30)
            {
                logger.LogWarning(e, "PostgreSQL is not reachable yet (attempt {Attempt}); retrying in {Delay}", attempt, RetryDelay);
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

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
