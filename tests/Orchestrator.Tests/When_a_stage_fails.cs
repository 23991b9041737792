using MassTransit;
using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_stage_fails : JobSagaSpec
{
    async Task<Guid> SubmittedAndAnalyzing(int maxRetries)
    {
        var job = NewJob(maxRetries: maxRetries);
        await Fixture.SubmitAsync(job);
        await Fixture.InState(job.JobId, m => m.Analyzing);
        return job.JobId;
    }

    [Fact]
    public async Task A_permanent_failure_faults_the_job_at_once()
    {
        var id = await SubmittedAndAnalyzing(maxRetries: 3);

        await Fixture.FaultAsync(id, Analyze(id, 1), "count exceeds the combinations", permanent: true);

        var saga = await Fixture.InState(id, m => m.Faulted);
        Assert.Equal(JobStages.Analyzing, saga.FaultStage);
        Assert.Equal("count exceeds the combinations", saga.FaultReason);
        Assert.Equal(0, saga.RetryCount);
        Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId));
        var error = Assert.Single(saga.Errors);
        Assert.True(error.Permanent);
        var faulted = Assert.Single(await Fixture.PublishedAsync<JobFaulted>(id, m => m.JobId));
        Assert.Equal(JobStages.Analyzing, faulted.Stage);
        Assert.Contains(await Fixture.PublishedAsync<JobStatusChanged>(id, m => m.JobId), s => s.Status == "failed");
    }

    [Fact]
    public async Task A_transient_failure_retries_the_stage_until_the_budget_is_spent()
    {
        var id = await SubmittedAndAnalyzing(maxRetries: 1);

        await Fixture.FaultAsync(id, Analyze(id, 1), "provider timed out", permanent: false);
        var retrying = await Fixture.InState(id, m => m.Analyzing);
        Assert.Equal(2, retrying.Attempt);
        Assert.Equal([1, 2], (await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId, 2)).Select(c => c.Attempt));

        await Fixture.FaultAsync(id, Analyze(id, 2), "provider timed out again", permanent: false);

        var saga = await Fixture.InState(id, m => m.Faulted);
        Assert.Equal(1, saga.RetryCount);
        Assert.Equal(2, saga.Errors.Count);
        Assert.All(saga.Errors, e => Assert.False(e.Permanent));
        Assert.Single(await Fixture.PublishedAsync<JobFaulted>(id, m => m.JobId));
    }

    [Fact]
    public async Task A_consumer_fault_counts_as_a_transient_failure()
    {
        var id = await SubmittedAndAnalyzing(maxRetries: 1);
        var command = Assert.Single(await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId));

        await Fixture.Harness.Bus.Publish<Fault<AnalyzeCombinations>>(new
        {
            Message = command,
            FaultId = NewId.NextGuid(),
            Timestamp = DateTime.UtcNow,
            Exceptions = new ExceptionInfo[] { new TimeoutExceptionInfo("the provider hung") },
        });

        await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId, 2);
        var saga = Fixture.Saga.Sagas.Contains(id)!;
        Assert.Equal(2, saga.Attempt);
        Assert.Contains("the provider hung", Assert.Single(saga.Errors).Message);
    }

    sealed record TimeoutExceptionInfo(string Message) : ExceptionInfo
    {
        public string ExceptionType => typeof(TimeoutException).FullName!;
        public ExceptionInfo? InnerException => null;
        public string StackTrace => "";
        public string Source => "test";
        public IDictionary<string, object>? Data => null;
    }
}
