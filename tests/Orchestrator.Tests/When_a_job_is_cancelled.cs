using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_job_is_cancelled : JobSagaSpec
{
    [Fact]
    public async Task Becomes_cancelled_and_ignores_late_results()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Enhancing);

        await Fixture.DeliverAsync(id, new CancelJob(id, "demo", "changed my mind"), m => m.JobId);
        var saga = await Fixture.InState(id, m => m.Cancelled);
        await Fixture.DeliverAsync(id, Enhanced(id, 1), m => m.JobId);

        saga = await Fixture.InState(id, m => m.Cancelled);
        Assert.Null(saga.Prompts);
        Assert.Empty(Fixture.Sent<GenerateImages>(id, m => m.JobId));
        var cancelled = Assert.Single(await Fixture.PublishedAsync<JobCancelled>(id, m => m.JobId));
        Assert.Equal("changed my mind", cancelled.Reason);
        Assert.Contains(saga.History, h => h.State == "Cancelled" && h.Message.Contains("cancelled by demo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_completed_job_stays_completed()
    {
        var job = NewJob(JobTypes.CombinationAnalysis);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Completed);

        await Fixture.DeliverAsync(id, new CancelJob(id, "demo", null), m => m.JobId);

        await Fixture.InState(id, m => m.Completed);
        Assert.Empty(Fixture.Published<JobCancelled>(id, m => m.JobId));
    }
}
