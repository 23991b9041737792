using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.StageWorkers.Providers;

namespace Workflow.IntegrationTests;

/// <summary>Three service instances' provider limits, each on its own connection pool, sharing one PostgreSQL.</summary>
public sealed class When_instances_share_provider_limits : IAsyncLifetime
{
    TestDatabase database = null!;
    List<SharedProviderLimits> instances = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        instances = [.. Enumerable.Range(0, 3).Select(_ => new SharedProviderLimits(NpgsqlDataSource.Create(database.ConnectionString), NullLogger<SharedProviderLimits>.Instance))];
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task The_rate_holds_across_all_of_them_and_callers_wait_instead_of_failing()
    {
        // 120 a minute: a burst of 20, then two a second, whichever instance asks.
        var clock = Stopwatch.StartNew();
        var taken = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            await instances[i % 3].TakeTokenAsync("rated", 120, CancellationToken.None);
            return clock.Elapsed;
        }));

        var ordered = taken.Order().ToList();
        // The bucket refills at two a second from the first token: thirty can never be had in under five seconds, and
        // the burst's twenty came in less than half of that time (at the rate alone they would take ten seconds).
        Assert.InRange(ordered[29].TotalSeconds, 4.5, 15);
        Assert.True(ordered[19] < ordered[29] / 2, $"the burst took {ordered[19].TotalSeconds:0.00} s of {ordered[29].TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task No_more_calls_than_the_slots_are_in_flight_at_once()
    {
        var inFlight = 0;
        var mostAtOnce = 0;
        await Task.WhenAll(Enumerable.Range(0, 15).Select(async i =>
        {
            await using (await instances[i % 3].AcquireSlotAsync("limited", 5, CancellationToken.None))
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref mostAtOnce, now);
                await Task.Delay(300);
                Interlocked.Decrement(ref inFlight);
            }
        }));

        Assert.Equal(5, mostAtOnce);
        var held = await database.ScalarAsync<long>("SELECT count(*) FROM providers.slots WHERE provider = 'limited' AND holder IS NOT NULL");
        Assert.Equal(0L, held);
    }

    static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
