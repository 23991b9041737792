using MassTransit;
using Microsoft.Extensions.Hosting;
using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

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

        await Wait.UntilAsync(
            async () => await database.ScalarAsync<string>("SELECT current_state FROM workflow.jobs WHERE id = @id", ("id", job.JobId)) == "Faulted",
            "the job did not fault");

        var timeouts = await database.ScalarAsync<long>(
            "SELECT count(*) FROM workflow.jobs, jsonb_array_elements(errors) e WHERE id = @id AND e->>'message' = 'Analyzing did not answer in time'", ("id", job.JobId));
        Assert.Equal(2L, timeouts);
        var commands = await virtualHost.PeekAsync("analyze-combinations");
        Assert.Equal(2, commands.Count(m => m.Contains(job.JobId.ToString(), StringComparison.Ordinal)));
    }
}
