using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Metrics;
using Workflow.TestKit;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

[Collection(nameof(SagaMetrics))]
public sealed class When_the_saga_records_metrics : JobSagaSpec, IDisposable
{
    readonly WorkflowMeasurements measurements = new();

    /// <summary>A priority no other spec uses, so that this spec's jobs are told from the others' by their tags.</summary>
    readonly string priority = "metrics-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_completed_job_counts_its_submission_its_end_and_the_time_of_each_stage()
    {
        var job = NewJob() with { Priority = priority };
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.DeliverAsync(id, Enhanced(id, 1), m => m.JobId);
        await Fixture.DeliverAsync(id, Generated(id, 1), m => m.JobId);
        await Fixture.DeliverAsync(id, PostProcessed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Completed);

        var submitted = Assert.Single(Mine("workflow.jobs.submitted"));
        Assert.Equal(JobTypes.ImageGeneration, submitted.Tags[WorkflowMetrics.JobType]);
        var ended = Assert.Single(Mine("workflow.jobs.ended"));
        Assert.Equal(JobStatuses.Completed, ended.Tags[WorkflowMetrics.JobStatus]);
        var duration = Assert.Single(Mine("workflow.job.duration"));
        Assert.InRange(duration.Value, 0, (DateTime.UtcNow - job.SubmittedAt).TotalSeconds);

        // Stage durations carry no job tags: this job's stages are the ones recorded since it started, in its order.
        var stages = measurements.Of("workflow.stage.duration", WorkflowMetrics.StageOutcome, "completed")
            .Select(m => (string)m.Tags[WorkflowMetrics.Stage]!).ToList();
        Assert.Equal([JobStates.Analyzing, JobStates.Enhancing, JobStates.Generating, JobStates.Finalizing], stages);
    }

    [Fact]
    public async Task A_stage_retried_and_then_failed_counts_the_retry_the_dead_letters_and_the_failure()
    {
        var job = NewJob(maxRetries: 1) with { Priority = priority };
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);

        await Fixture.FaultAsync(id, Analyze(id, 1), "provider timed out", permanent: false);
        await Fixture.SentAsync<AnalyzeCombinations>(id, m => m.JobId, 2);
        await Fixture.FaultAsync(id, Analyze(id, 2), "provider timed out again", permanent: false);
        await Fixture.InState(id, m => m.Faulted);

        var retry = Assert.Single(measurements.Of("workflow.stage.retries", WorkflowMetrics.Stage, JobStates.Analyzing));
        Assert.Equal("saga", retry.Tags[WorkflowMetrics.RetryLayer]);
        Assert.Equal("fault", retry.Tags[WorkflowMetrics.ErrorType]);
        Assert.Equal(2, measurements.Of("workflow.dead_letters", WorkflowMetrics.Queue, QueueNames.AnalyzeCombinations + "_error").Count);
        Assert.Equal(JobStatuses.Failed, Assert.Single(Mine("workflow.jobs.ended")).Tags[WorkflowMetrics.JobStatus]);
        Assert.Equal(JobStates.Analyzing, Assert.Single(measurements.Of("workflow.stage.duration", WorkflowMetrics.StageOutcome, "failed")).Tags[WorkflowMetrics.Stage]);
    }

    [Fact]
    public async Task A_cancelled_job_counts_as_cancelled()
    {
        var job = NewJob() with { Priority = priority };
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);

        await Fixture.DeliverAsync(id, new CancelJob(id, "demo", "no longer needed"), m => m.JobId);
        await Fixture.InState(id, m => m.Cancelled);

        Assert.Equal(JobStatuses.Cancelled, Assert.Single(Mine("workflow.jobs.ended")).Tags[WorkflowMetrics.JobStatus]);
    }

    public void Dispose() => measurements.Dispose();

    IReadOnlyList<WorkflowMeasurements.Measured> Mine(string instrument) => measurements.Of(instrument, WorkflowMetrics.JobPriority, priority);
}
