using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.StageWorkers.Providers;

/// <summary>
/// Limits on an external provider that hold across every instance of a service, kept in PostgreSQL (schema
/// <c>providers</c>): a number of call slots, each leased by one call and renewed while it runs (a killed instance's
/// lease expires), and a token bucket refilled at the configured rate. Callers wait for a slot and a token; they
/// never fail for lack of one.
/// </summary>
public sealed class SharedProviderLimits(NpgsqlDataSource database, ILogger<SharedProviderLimits> logger)
{
    static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);
    static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);
    static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);
    readonly ILogger<SharedProviderLimits> log = logger;
    readonly string holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    readonly SemaphoreSlim schemaLock = new(1, 1);
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> ensured = new();
    volatile bool schemaReady;

    /// <summary>Waits for one of <paramref name="slots"/> call slots of <paramref name="provider"/>; dispose the lease to free it.</summary>
    public async Task<IAsyncDisposable> AcquireSlotAsync(string provider, int slots, CancellationToken cancellationToken)
    {
        await EnsureAsync($"slots:{provider}:{slots}",
            "INSERT INTO providers.slots (provider, slot) SELECT $1, s FROM generate_series(0, $2 - 1) s ON CONFLICT DO NOTHING", provider, slots, cancellationToken);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using (var command = database.CreateCommand("""
                UPDATE providers.slots SET holder = $1, expires_at = now() + $4
                WHERE (provider, slot) = (
                    SELECT provider, slot FROM providers.slots
                    WHERE provider = $2 AND slot < $3 AND (holder IS NULL OR expires_at < now())
                    ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING slot
                """))
            {
                command.Parameters.AddWithValue(holder);
                command.Parameters.AddWithValue(provider);
                command.Parameters.AddWithValue(slots);
                command.Parameters.AddWithValue(LeaseTime);
                if (await RunThroughOutageAsync(ct => command.ExecuteScalarAsync(ct), provider, cancellationToken) is int slot)
                {
                    if (waited.Elapsed > TimeSpan.FromSeconds(1))
                    {
                        log.LogInformation("Waited {WaitMilliseconds} ms for a call slot of {Provider} ({Slots} across all instances)",
                            (int)waited.ElapsedMilliseconds, provider, slots);
                    }

                    return new Lease(this, provider, slot);
                }
            }

            await Task.Delay(PollEvery, cancellationToken);
        }
    }

    /// <summary>Waits until the shared bucket of <paramref name="provider"/> has a token, and takes it.</summary>
    public async Task TakeTokenAsync(string provider, int requestsPerMinute, CancellationToken cancellationToken)
    {
        var rate = requestsPerMinute / 60.0;
        var capacity = Math.Max(1, requestsPerMinute / 6);
        // A new bucket starts full: a burst of up to a tenth of a minute's allowance, then the steady rate.
        await EnsureAsync($"bucket:{provider}",
            "INSERT INTO providers.buckets (provider, tokens, updated_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT DO NOTHING", provider, capacity, cancellationToken);
        while (true)
        {
            await using var command = database.CreateCommand("""
                WITH bucket AS (
                    SELECT least($2, tokens + extract(epoch FROM clock_timestamp() - updated_at) * $3) AS available
                    FROM providers.buckets WHERE provider = $1 FOR UPDATE),
                taken AS (
                    UPDATE providers.buckets SET tokens = (SELECT available FROM bucket) - 1, updated_at = clock_timestamp()
                    WHERE provider = $1 AND (SELECT available FROM bucket) >= 1
                    RETURNING tokens)
                SELECT CASE WHEN EXISTS (SELECT 1 FROM taken) THEN NULL ELSE (SELECT available FROM bucket) END
                """);
            command.Parameters.AddWithValue(provider);
            command.Parameters.AddWithValue((double)capacity);
            command.Parameters.AddWithValue(rate);
            var available = await RunThroughOutageAsync(ct => command.ExecuteScalarAsync(ct), provider, cancellationToken);
            if (available is null or DBNull)
            {
                return;
            }

            // Sleep until the next token is due.
            var wait = TimeSpan.FromSeconds(Math.Max(0.01, (1 - Convert.ToDouble(available, System.Globalization.CultureInfo.InvariantCulture)) / rate));
            await Task.Delay(wait < PollEvery ? PollEvery : wait, cancellationToken);
        }
    }

    /// <summary>
    /// Runs <paramref name="query"/>, waiting through a PostgreSQL outage (a restart, a failover) as a caller waits for a
    /// busy slot: the call is not failed for it, unless the outage outlasts <see cref="Failures.DatabaseOutageIntervals"/>.
    /// </summary>
    async Task<object?> RunThroughOutageAsync(Func<CancellationToken, Task<object?>> query, string provider, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await query(cancellationToken);
            }
            catch (Exception e) when (attempt < Failures.DatabaseOutageIntervals.Length && Failures.IsDatabaseUnavailable(e) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt == 0)
                {
                    log.LogWarning(e, "The limits of {Provider} are unreachable in PostgreSQL; waiting until they are back", provider);
                }

                await Task.Delay(Failures.DatabaseOutageIntervals[attempt], cancellationToken);
            }
        }
    }

    /// <summary>Creates the schema once per process, then runs <paramref name="sql"/> once per <paramref name="key"/>.</summary>
    async Task EnsureAsync(string key, string sql, string provider, int value, CancellationToken cancellationToken)
    {
        if (ensured.ContainsKey(key))
        {
            return;
        }

        if (!schemaReady)
        {
            await schemaLock.WaitAsync(cancellationToken);
            try
            {
                if (!schemaReady)
                {
                    await CreateSchemaAsync(cancellationToken);
                    schemaReady = true;
                }
            }
            finally
            {
                schemaLock.Release();
            }
        }

        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue(provider);
        command.Parameters.AddWithValue(value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        ensured.TryAdd(key, true);
    }

    async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = database.CreateCommand("""
                    CREATE SCHEMA IF NOT EXISTS providers;
                    CREATE TABLE IF NOT EXISTS providers.slots (
                        provider text NOT NULL, slot int NOT NULL, holder text NULL, expires_at timestamptz NULL,
                        PRIMARY KEY (provider, slot));
                    CREATE TABLE IF NOT EXISTS providers.buckets (
                        provider text PRIMARY KEY, tokens double precision NOT NULL, updated_at timestamptz NOT NULL);
                    """);
                await command.ExecuteNonQueryAsync(cancellationToken);
                return;
            }
            catch (PostgresException e) when (attempt < 3 && e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject)
            {
                // Another instance created it at the same moment: look again.
            }
        }
    }

    async Task RenewAsync(string provider, int slot, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("UPDATE providers.slots SET expires_at = now() + $3 WHERE provider = $1 AND slot = $2 AND holder = $4");
        command.Parameters.AddWithValue(provider);
        command.Parameters.AddWithValue(slot);
        command.Parameters.AddWithValue(LeaseTime);
        command.Parameters.AddWithValue(holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    async Task ReleaseAsync(string provider, int slot, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("UPDATE providers.slots SET holder = NULL, expires_at = NULL WHERE provider = $1 AND slot = $2 AND holder = $3");
        command.Parameters.AddWithValue(provider);
        command.Parameters.AddWithValue(slot);
        command.Parameters.AddWithValue(holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Releases a slot whose release failed as soon as PostgreSQL answers again, so that every slot held through an
    /// outage is not lost to the providers' calls until its lease runs out; gives up when the lease would have expired.
    /// </summary>
    async Task ReleaseWhenBackAsync(string provider, int slot)
    {
        var waited = Stopwatch.StartNew();
        using var leaseEnd = new CancellationTokenSource(LeaseTime);
        try
        {
            await RunThroughOutageAsync(async ct =>
            {
                await ReleaseAsync(provider, slot, ct);
                return null;
            }, provider, leaseEnd.Token);
            log.LogInformation("Released the call slot {Slot} of {Provider} after {Milliseconds} ms without PostgreSQL", slot, provider, (int)waited.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Could not release the call slot {Slot} of {Provider}; it expires with its lease", slot, provider);
        }
    }

    /// <summary>A held slot, renewed while the call runs; released on dispose (or expired, if the process dies).</summary>
    sealed class Lease : IAsyncDisposable
    {
        readonly SharedProviderLimits limits;
        readonly string provider;
        readonly int slot;
        readonly CancellationTokenSource stop = new();
        readonly Task renewal;

        public Lease(SharedProviderLimits limits, string provider, int slot)
        {
            this.limits = limits;
            this.provider = provider;
            this.slot = slot;
            renewal = RenewUntilReleasedAsync();
        }

        async Task RenewUntilReleasedAsync()
        {
            try
            {
                while (true)
                {
                    await Task.Delay(RenewEvery, stop.Token);
                    await limits.RenewAsync(provider, slot, stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Released.
            }
            catch (NpgsqlException e)
            {
                limits.log.LogWarning(e, "Could not renew the call slot {Slot} of {Provider}; it expires in {LeaseSeconds} s", slot, provider, LeaseTime.TotalSeconds);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await renewal;
            stop.Dispose();
            try
            {
                await limits.ReleaseAsync(provider, slot, CancellationToken.None);
            }
            catch (Exception e) when (Failures.IsDatabaseUnavailable(e))
            {
                limits.log.LogWarning(e, "Could not release the call slot {Slot} of {Provider}; released when PostgreSQL is back, or expires in {LeaseSeconds} s",
                    slot, provider, LeaseTime.TotalSeconds);
                // The call's result is in hand: it does not wait for the database to come back.
                _ = limits.ReleaseWhenBackAsync(provider, slot);
            }
        }
    }
}
