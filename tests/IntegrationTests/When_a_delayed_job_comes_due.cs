using MassTransit;
using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

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
        await Wait.UntilAsync(async () => await State(job.JobId) == "Analyzing", "the delayed job did not start");

        var startedAt = await Database.ScalarAsync<DateTime>("SELECT started_at FROM workflow.jobs WHERE id = @id", ("id", job.JobId));
        Assert.InRange(startedAt, runAt, runAt.AddSeconds(4));
        await second.StopAsync();
    }

    Task<string?> State(Guid id) => Database.ScalarAsync<string>("SELECT current_state FROM workflow.jobs WHERE id = @id", ("id", id));
}
