using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.StageWorkers.Providers;
using Workflow.TestKit;

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
        Assert.True(ordered[19] < TimeSpan.FromSeconds(2), $"the burst took {ordered[19].TotalSeconds:0.00} s");
        // Ten beyond the burst at two a second: about five seconds.
        Assert.InRange(ordered[29].TotalSeconds, 4.5, 9);
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

/// <summary>An instance's provider limits through a relay that plays a PostgreSQL restart, watched from a direct connection.</summary>
public sealed class When_the_database_goes_away_during_provider_calls : IAsyncLifetime
{
    TestDatabase database = null!;
    DatabaseOutageProxy proxy = null!;
    SharedProviderLimits limits = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        proxy = new DatabaseOutageProxy(database.ConnectionString);
        limits = new SharedProviderLimits(NpgsqlDataSource.Create(proxy.ConnectionString), NullLogger<SharedProviderLimits>.Instance);
        // The instance was running before the outage: its schema and slots exist.
        await (await limits.AcquireSlotAsync("provider", 1, CancellationToken.None)).DisposeAsync();
        await limits.TakeTokenAsync("provider", 600, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await proxy.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_slot_whose_call_ended_during_the_outage_is_free_again_once_the_database_is_back()
    {
        var lease = await limits.AcquireSlotAsync("provider", 1, CancellationToken.None);
        proxy.GoDown();
        await lease.DisposeAsync();
        Assert.Equal(1L, await HeldSlots());

        await Task.Delay(TimeSpan.FromSeconds(1));
        proxy.ComeBack();
        // The lease runs 30 s: the slot must come back well before it would have expired.
        await Wait.UntilAsync(async () => await HeldSlots() == 0, "the slot stayed held after the database came back", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_call_asking_for_a_slot_and_a_token_during_the_outage_waits_for_the_database_instead_of_failing()
    {
        proxy.GoDown();
        var call = Task.Run(async () =>
        {
            await using var slot = await limits.AcquireSlotAsync("provider", 1, CancellationToken.None);
            await limits.TakeTokenAsync("provider", 600, CancellationToken.None);
        });

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(call.IsCompleted, call.Exception?.ToString() ?? "the call went ahead without the database");
        proxy.ComeBack();
        await call.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0L, await HeldSlots());
    }

    Task<long> HeldSlots() => database.ScalarAsync<long>("SELECT count(*) FROM providers.slots WHERE provider = 'provider' AND holder IS NOT NULL");
}
