using MassTransit;
using Microsoft.Extensions.Hosting;
using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

/// <summary>Two Orchestrator instances share one PostgreSQL saga table and one RabbitMQ saga queue.</summary>
public sealed class When_two_orchestrators_share_the_saga_table : IAsyncLifetime
{
    TestDatabase database = null!;
    TestVirtualHost virtualHost = null!;
    IHost first = null!;
    IHost second = null!;
    IBusControl bus = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        virtualHost = await TestVirtualHost.CreateAsync();
        // Both start together: the migration lock lets one create the schema while the other waits.
        var instances = await Task.WhenAll(OrchestratorInstance.StartAsync(database, virtualHost), OrchestratorInstance.StartAsync(database, virtualHost));
        (first, second) = (instances[0], instances[1]);
        bus = await TestBus.StartAsync(virtualHost);
    }

    public async Task DisposeAsync()
    {
        await bus.StopAsync();
        await Task.WhenAll(first.StopAsync(), second.StopAsync());
        first.Dispose();
        second.Dispose();
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_messages_for_one_job_lose_no_update()
    {
        var job = NewJob();
        await bus.Publish(job);
        await WaitForState(job.JobId, "Analyzing");
        await bus.Publish(new CombinationsAnalyzed(job.JobId, 1, Combinations(), new CombinationScore(1, 1, new Dictionary<string, int>())));
        await WaitForState(job.JobId, "Enhancing");
        await bus.Publish(new PromptsEnhanced(job.JobId, 1, [new EnhancedPrompt(0, "p0", Combinations()[0]), new EnhancedPrompt(1, "p1", Combinations()[1])]));
        await WaitForState(job.JobId, "Generating");

        const int updates = 100;
        var handled = ConsumedMessages<StageRetrying>.On(first, second);
        await Task.WhenAll(Enumerable.Range(1, updates).Select(i =>
            bus.Publish(new StageRetrying(job.JobId, 1, JobStages.Generating, "immediate", i, updates, 0, $"update {i}", DateTime.UtcNow))));

        // Every handled retry report adds one error to the row: a lost update would leave the list short, one applied
        // twice would make it long.
        await Wait.UntilAsync(() => handled.Handled >= updates, $"the orchestrators did not handle {updates} retry reports", TimeSpan.FromSeconds(60));
        Assert.Equal(updates, await Errors(job.JobId));
        Assert.Equal(0, await virtualHost.ReadyMessagesAsync("job-state_error"));
    }

    [Fact]
    public async Task The_same_job_submitted_concurrently_is_created_once()
    {
        var job = NewJob();
        const int submissions = 20;
        var handled = ConsumedMessages<SubmitJob>.On(first, second);

        await Task.WhenAll(Enumerable.Range(0, submissions).Select(_ => bus.Publish(job)));

        await Wait.UntilAsync(() => handled.Handled >= submissions, $"the orchestrators did not handle {submissions} submissions");
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM workflow.jobs WHERE id = @id", ("id", job.JobId)));
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM workflow.jobs, jsonb_array_elements(history) h WHERE id = @id AND h->>'state' = 'Submitted'", ("id", job.JobId)));
        var commands = await virtualHost.PeekAsync("analyze-combinations");
        Assert.Single(commands, m => m.Contains(job.JobId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_is_answered_after_the_job_is_saved()
    {
        var job = NewJob();
        var client = bus.CreateRequestClient<SubmitJob>(RequestTimeout.After(s: 30));

        var response = await client.GetResponse<JobAccepted>(job);

        Assert.Equal(job.JobId, response.Message.JobId);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM workflow.jobs WHERE id = @id", ("id", job.JobId)));
    }

    static SubmitJob NewJob() =>
        new(Guid.NewGuid(), JobTypes.ImageGeneration, "normal", "demo",
            new JobInput("a poster", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink", "oil"] }, 2, 64, 64),
            3, 600, null, DateTime.UtcNow);

    static List<IReadOnlyDictionary<string, string>> Combinations() =>
        [new Dictionary<string, string> { ["style"] = "ink" }, new Dictionary<string, string> { ["style"] = "oil" }];

    async Task<int> Errors(Guid jobId) =>
        await database.ScalarAsync<int>("SELECT jsonb_array_length(errors) FROM workflow.jobs WHERE id = @id", ("id", jobId));

    Task WaitForState(Guid jobId, string state) =>
        Wait.UntilAsync(async () => await database.ScalarAsync<string>("SELECT current_state FROM workflow.jobs WHERE id = @id", ("id", jobId)) == state,
            $"job {jobId} did not reach {state}");
}
