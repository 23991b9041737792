using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_job_is_delayed : JobSagaSpec
{
    [Fact]
    public async Task It_waits_with_its_start_as_its_due_time_and_starts_when_the_sweep_finds_it_due()
    {
        var job = NewJob() with { RunAt = DateTime.UtcNow.AddHours(1) };
        await Fixture.SubmitAsync(job);
        var saga = await Fixture.InState(job.JobId, m => m.Submitted);
        Assert.StartsWith("scheduled for", saga.ProgressMessage, StringComparison.Ordinal);
        Assert.Equal(job.RunAt, saga.StageTimeoutAt);
        Assert.Null(saga.DeadlineAt);
        Assert.Empty(Fixture.Sent<AnalyzeCombinations>(job.JobId, m => m.JobId));

        await Fixture.DeliverAsync(job.JobId, new StageTimedOut(job.JobId, 0, "Submitted", DeadlinePassed: false), m => m.JobId);

        var started = await Fixture.InState(job.JobId, m => m.Analyzing);
        Assert.NotNull(started.DeadlineAt);
        Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(job.JobId, m => m.JobId));
    }
}
