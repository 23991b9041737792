using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.StageWorkers.Providers;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

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
