using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_job_is_submitted : JobSagaSpec
{
    [Fact]
    public async Task Answers_accepted_and_starts_analysis()
    {
        var job = NewJob();

        var accepted = await Fixture.SubmitAsync(job);

        Assert.Equal(job.JobId, accepted.JobId);
        Assert.Equal(job.SubmittedAt, accepted.CreatedAt);
        var saga = await Fixture.InState(job.JobId, m => m.Analyzing);
        var command = Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(job.JobId, m => m.JobId));
        Assert.Equal(1, command.Attempt);
        Assert.Equal(job.Input.Count, command.Count);
        Assert.Equal("demo", saga.Owner);
        Assert.NotNull(saga.StartedAt);
        Assert.Equal(["Submitted", "Analyzing"], saga.History.Select(h => h.State));
        // The answer is the job as the submission's unit of work saved it, so the Gateway need not read it back.
        Assert.Equal("Analyzing", accepted.Status?.Progress.Stage);
        Assert.Equal(JobStatuses.Processing, accepted.Status?.Status);
        Assert.Equal(saga.Sequence, accepted.Status?.Sequence);
        Assert.Equal(saga.StartedAt, accepted.StartedAt);
    }

    [Fact]
    public async Task A_second_submission_with_the_same_id_answers_the_same_job()
    {
        var job = NewJob();

        var first = await Fixture.SubmitAsync(job);
        await Fixture.InState(job.JobId, m => m.Analyzing);
        var second = await Fixture.SubmitAsync(job with { SubmittedAt = DateTime.UtcNow.AddMinutes(1) });

        Assert.Equal(first, second);
        Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(job.JobId, m => m.JobId));
        Assert.Single(Fixture.Saga.Created.Select(x => x.CorrelationId == job.JobId));
    }
}
