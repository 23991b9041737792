using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_stage_results_are_duplicated_or_stale : JobSagaSpec
{
    [Fact]
    public async Task A_result_for_an_older_attempt_is_ignored()
    {
        var job = NewJob(maxRetries: 2);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.FaultAsync(id, Analyze(id, 1), "blip", permanent: false);

        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);

        var saga = await Fixture.InState(id, m => m.Analyzing);
        Assert.Equal(2, saga.Attempt);
        Assert.Null(saga.Combinations);
        Assert.Empty(Fixture.Sent<EnhancePrompts>(id, m => m.JobId));
    }

    [Fact]
    public async Task A_result_that_arrives_out_of_order_is_ignored()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);

        await Fixture.DeliverAsync(id, Generated(id, 1), m => m.JobId);

        var saga = await Fixture.InState(id, m => m.Analyzing);
        Assert.Null(saga.Images);
        Assert.Empty(Fixture.Sent<PostProcessImages>(id, m => m.JobId));
    }

    [Fact]
    public async Task A_duplicated_result_changes_nothing()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Enhancing);

        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);

        await Fixture.InState(id, m => m.Enhancing);
        Assert.Single(await Fixture.SentAsync<EnhancePrompts>(id, m => m.JobId));
    }
}
