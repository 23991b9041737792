using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_stopped_job_is_retried_by_hand : JobSagaSpec
{
    [Fact]
    public async Task A_failed_job_resumes_at_the_stage_that_failed_keeping_earlier_results()
    {
        var job = NewJob(maxRetries: 0);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.DeliverAsync(id, Enhanced(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Generating);
        await Fixture.FaultAsync(id, Generate(id, 1), "provider down", permanent: false);
        await Fixture.InState(id, m => m.Faulted);

        await Fixture.DeliverAsync(id, new RetryJob(id, "admin"), m => m.JobId);

        var saga = await Fixture.InState(id, m => m.Generating);
        var commands = await Fixture.SentAsync<GenerateImages>(id, m => m.JobId, 2);
        Assert.Equal([1, 2], commands.Select(c => c.Attempt));
        Assert.Equal(commands[0].Prompts.Select(p => p.Prompt), commands[1].Prompts.Select(p => p.Prompt));
        Assert.Single(Fixture.Sent<EnhancePrompts>(id, m => m.JobId));
        Assert.Null(saga.FaultReason);
        Assert.Contains(saga.History, h => h.Message == "manual retry by admin from Generating");

        await Fixture.DeliverAsync(id, Generated(id, 2), m => m.JobId);
        await Fixture.DeliverAsync(id, PostProcessed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Completed);
    }

    [Fact]
    public async Task A_cancelled_job_resumes_where_it_was_cancelled_and_a_running_one_ignores_the_retry()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, new RetryJob(id, "demo"), m => m.JobId);
        Assert.Single(Fixture.Sent<AnalyzeCombinations>(id, m => m.JobId));
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Enhancing);
        await Fixture.DeliverAsync(id, new CancelJob(id, "demo", null), m => m.JobId);
        await Fixture.InState(id, m => m.Cancelled);

        await Fixture.DeliverAsync(id, new RetryJob(id, "demo"), m => m.JobId);

        await Fixture.InState(id, m => m.Enhancing);
        Assert.Equal([1, 2], (await Fixture.SentAsync<EnhancePrompts>(id, m => m.JobId, 2)).Select(c => c.Attempt));
    }
}
