using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_combination_analysis_job_is_analyzed : JobSagaSpec
{
    [Fact]
    public async Task Completes_with_the_combinations_and_no_further_stage()
    {
        var job = NewJob(JobTypes.CombinationAnalysis);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);

        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);

        var saga = await Fixture.InState(id, m => m.Completed);
        Assert.Equal(3, saga.Combinations!.Count);
        Assert.Equal(1, saga.Score!.MinDistance);
        Assert.Empty(Fixture.Sent<EnhancePrompts>(id, m => m.JobId));
        Assert.Single(await Fixture.PublishedAsync<JobCompleted>(id, m => m.JobId));
    }
}
