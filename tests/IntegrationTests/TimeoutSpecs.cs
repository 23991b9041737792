using MassTransit;
using Microsoft.Extensions.Hosting;
using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.IntegrationTests;

/// <summary>An Orchestrator whose stages are never answered: no stage service runs on this virtual host.</summary>
public sealed class When_a_stage_never_answers : IAsyncLifetime
{
    TestDatabase database = null!;
    TestVirtualHost virtualHost = null!;
    IHost orchestrator = null!;
    IBusControl bus = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        virtualHost = await TestVirtualHost.CreateAsync();
        orchestrator = await OrchestratorInstance.StartAsync(database, virtualHost, new Dictionary<string, string?>
        {
            ["Orchestrator:StageTimeoutSeconds"] = "2",
            ["Orchestrator:StageRetry:Kind"] = "Immediate",
            ["Orchestrator:TimeoutSweepIntervalMilliseconds"] = "200",
        });
        bus = await TestBus.StartAsync(virtualHost);
    }

    public async Task DisposeAsync()
    {
        await bus.StopAsync();
        await orchestrator.StopAsync();
        orchestrator.Dispose();
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Its_timeout_retries_it_and_then_faults_the_job()
    {
        var job = new SubmitJob(Guid.NewGuid(), JobTypes.ImageGeneration, "normal", "demo",
            new JobInput("a poster", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink", "oil"] }, 2, 64, 64),
            MaxRetries: 1, TimeoutSeconds: 600, CallbackUrl: null, DateTime.UtcNow);

        await bus.Publish(job);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await database.ScalarAsync<string>("SELECT current_state FROM workflow.jobs WHERE id = @id", ("id", job.JobId)) != "Faulted")
        {
            Assert.True(DateTime.UtcNow < deadline, "the job did not fault");
            await Task.Delay(200);
        }

        var timeouts = await database.ScalarAsync<long>(
            "SELECT count(*) FROM workflow.jobs, jsonb_array_elements(errors) e WHERE id = @id AND e->>'message' = 'Analyzing did not answer in time'", ("id", job.JobId));
        Assert.Equal(2L, timeouts);
        var commands = await virtualHost.PeekAsync("analyze-combinations");
        Assert.Equal(2, commands.Count(m => m.Contains(job.JobId.ToString(), StringComparison.Ordinal)));
    }
}

/// <summary>A delayed job and an Orchestrator that restarts before it is due.</summary>
public sealed class When_a_delayed_job_comes_due : BrokerAndDatabaseSpec
{
    static readonly Dictionary<string, string?> FastSweep = new() { ["Orchestrator:TimeoutSweepIntervalMilliseconds"] = "200" };

    [Fact]
    public async Task It_starts_on_time_even_though_the_orchestrator_restarted_in_between()
    {
        var first = await OrchestratorInstance.StartAsync(Database, VirtualHost, FastSweep);
        // runAt is taken once the first Orchestrator is up, so that a slow start cannot make the job due at submission.
        var runAt = DateTime.UtcNow.AddSeconds(8);
        var job = new SubmitJob(Guid.NewGuid(), JobTypes.ImageGeneration, "normal", "demo",
            new JobInput("a poster", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink", "oil"] }, 2, 64, 64),
            MaxRetries: 1, TimeoutSeconds: 600, CallbackUrl: null, DateTime.UtcNow, RunAt: runAt);
        var client = Bus.CreateRequestClient<SubmitJob>(RequestTimeout.After(s: 30));
        await client.GetResponse<JobAccepted>(job);
        Assert.Equal("Submitted", await State(job.JobId));
        await first.StopAsync();
        first.Dispose();

        // Starting early is what the started_at range below rules out; a slow restart may already be past runAt.
        using var second = await OrchestratorInstance.StartAsync(Database, VirtualHost, FastSweep);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await State(job.JobId) != "Analyzing")
        {
            Assert.True(DateTime.UtcNow < deadline, "the delayed job did not start");
            await Task.Delay(100);
        }

        var startedAt = await Database.ScalarAsync<DateTime>("SELECT started_at FROM workflow.jobs WHERE id = @id", ("id", job.JobId));
        Assert.InRange(startedAt, runAt, runAt.AddSeconds(4));
        await second.StopAsync();
    }

    Task<string?> State(Guid id) => Database.ScalarAsync<string>("SELECT current_state FROM workflow.jobs WHERE id = @id", ("id", id));
}
