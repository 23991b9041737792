using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_stage_does_not_answer : JobSagaSpec
{
    [Fact]
    public async Task The_stage_is_retried_then_the_job_faults_and_stale_verdicts_change_nothing()
    {
        var job = NewJob(maxRetries: 1);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        var saga = await Fixture.InState(id, m => m.Analyzing);
        Assert.NotNull(saga.StageStartedAt);

        await Fixture.DeliverAsync(id, new StageTimedOut(id, 1, JobStages.Analyzing, DeadlinePassed: false), m => m.JobId);
        await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId, 2);
        await Fixture.DeliverAsync(id, new StageTimedOut(id, 1, JobStages.Analyzing, DeadlinePassed: false), m => m.JobId);
        Assert.Equal(2, Fixture.Saga.Sagas.Contains(id)!.Attempt);
        await Fixture.DeliverAsync(id, new StageTimedOut(id, 2, JobStages.Analyzing, DeadlinePassed: false), m => m.JobId);

        saga = await Fixture.InState(id, m => m.Faulted);
        Assert.Equal(2, saga.Errors.Count(e => e.Message == "Analyzing did not answer in time"));
        Assert.Equal(2, Fixture.Sent<AnalyzeCombinations>(id, m => m.JobId).Count);
        // Each attempt that timed out is given up on once, so that the stage services stop it; the stale verdict is not.
        Assert.Equal([1, 2], Fixture.Published<StageAbandoned>(id, m => m.JobId).Select(a => a.Attempt));
        Assert.All(Fixture.Published<StageAbandoned>(id, m => m.JobId), a => Assert.Equal(JobStages.Analyzing, a.Stage));
    }

    [Fact]
    public async Task A_passed_deadline_faults_the_job_without_a_retry()
    {
        var job = NewJob(maxRetries: 3);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);

        await Fixture.DeliverAsync(id, new StageTimedOut(id, 1, JobStages.Analyzing, DeadlinePassed: true), m => m.JobId);

        var saga = await Fixture.InState(id, m => m.Faulted);
        Assert.Equal("the job's deadline of 600 s passed", saga.FaultReason);
        Assert.Single(Fixture.Sent<AnalyzeCombinations>(id, m => m.JobId));
    }
}
