using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.Orchestrator.Tests;

/// <summary>The saga's own stage retries and timers, with a backoff and per-type timeouts configured.</summary>
public sealed class When_the_saga_retries_and_times_a_stage : IAsyncLifetime
{
    JobSagaFixture fixture = null!;

    public async Task InitializeAsync() =>
        fixture = await JobSagaFixture.StartAsync(o =>
        {
            o.StageRetry = new BackoffOptions { Kind = BackoffKind.Exponential, InitialMilliseconds = 4000, Factor = 2, FullJitter = false };
            o.JobTypes[JobTypes.ImageGeneration] = new JobTypeOptions { StageTimeoutSeconds = { [JobStages.Analyzing] = 90 } };
        });

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task A_failed_stage_is_dispatched_again_after_the_backoff_with_a_fresh_timeout_and_every_retry_is_in_the_history()
    {
        var job = JobSagaFixture.NewJob(maxRetries: 2);
        var id = job.JobId;
        await fixture.SubmitAsync(job);
        var analyzing = await fixture.InState(id, m => m.Analyzing);
        Assert.Equal(TimeSpan.FromSeconds(90), analyzing.StageTimeoutAt!.Value - analyzing.StageStartedAt!.Value);
        Assert.InRange(analyzing.DeadlineAt!.Value - analyzing.StartedAt!.Value, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(601));
        var deadline = analyzing.DeadlineAt;

        await fixture.DeliverAsync(id, new StageRetrying(id, 1, JobStages.Analyzing, "redelivery", 1, 3, 1500, "provider 503", DateTime.UtcNow), m => m.JobId);
        await fixture.FaultAsync(id, JobSagaFixture.Analyze(id, 1), "provider 503", permanent: false);

        await fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId, 2);
        var commands = fixture.Harness.Sent.Select<AnalyzeCombinations>(x => x.Context.Message.JobId == id).ToList();
        Assert.Null(commands[0].Context.Delay);
        Assert.InRange(commands[1].Context.Delay!.Value, TimeSpan.FromSeconds(3.9), TimeSpan.FromSeconds(4));
        Assert.Equal(job.Type, commands[1].Context.Headers.Get<string>(JobHeaders.JobType));

        // The retried attempt's timeout runs from when it is dispatched, after the backoff; the deadline stays.
        var saga = fixture.Saga.Sagas.Contains(id)!;
        Assert.Equal(2, saga.Attempt);
        Assert.InRange(saga.StageStartedAt!.Value - DateTime.UtcNow, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(90), saga.StageTimeoutAt!.Value - saga.StageStartedAt.Value);
        Assert.Equal(deadline, saga.DeadlineAt);
        Assert.Empty(fixture.Harness.Sent.Select<StageTimedOut>(x => x.Context.Message.JobId == id));

        Assert.Contains(saga.History, h => h.Message == "Analyzing failed (transient): provider 503; redelivery retry 1 of 3 in 1500 ms");
        Assert.Contains(saga.History, h => h.Message.StartsWith("Analyzing failed (transient): TimeoutException: provider 503; stage retry 1 of 2 in 4000 ms", StringComparison.Ordinal));
        Assert.Equal(2, saga.Errors.Count);
        Assert.All(saga.Errors, e => Assert.Equal((JobStages.Analyzing, 1, false), (e.Stage, e.Attempt, e.Permanent)));
    }
}
