using Workflow.Contracts.V1;
using Workflow.Orchestrator.StateMachines;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_batch_job_runs_out_of_time : JobSagaSpec
{
    static SubmitJob Batch(int items, DateTime? runAt = null)
    {
        var item = JobSagaFixture.NewJob().Input;
        return JobSagaFixture.NewJob(JobTypes.BatchProcessing) with { Input = item with { Items = [.. Enumerable.Repeat(item, items)] }, RunAt = runAt };
    }

    async Task<(Guid Id, JobState Saga)> Running(int items)
    {
        var job = Batch(items);
        await Fixture.SubmitAsync(job);
        return (job.JobId, await Fixture.InState(job.JobId, m => m.Batching));
    }

    [Fact]
    public async Task Its_deadline_faults_it_and_cancels_the_items_still_running()
    {
        var (id, saga) = await Running(6);
        Assert.NotNull(saga.DeadlineAt);
        await Fixture.SentAsync<SubmitJob>(id, m => m.ParentJobId ?? Guid.Empty, 4);
        var done = saga.BatchItems![0].JobId;
        await Fixture.DeliverAsync(id, new BatchItemFinished(id, done, JobStatuses.Completed, 3, null), m => m.JobId);
        var running = saga.BatchItems.Where(i => i.Status == BatchItemStatuses.Running).Select(i => i.JobId).ToList();
        Assert.Equal(4, running.Count);

        await Fixture.DeliverAsync(id, new StageTimedOut(id, saga.Attempt, JobStates.Batching, DeadlinePassed: true), m => m.JobId);

        saga = await Fixture.InState(id, m => m.Faulted);
        Assert.Equal("the job's deadline of 600 s passed", saga.FaultReason);
        foreach (var item in running)
        {
            await Fixture.InState(item, m => m.Cancelled);
        }

        Assert.Empty(Fixture.Sent<CancelJob>(done, m => m.JobId));
    }

    [Fact]
    public async Task Retried_by_hand_it_runs_its_unfinished_items_again_as_new_jobs_with_a_fresh_deadline()
    {
        var (id, saga) = await Running(2);
        var (done, cut) = (saga.BatchItems![0].JobId, saga.BatchItems[1].JobId);
        await Fixture.DeliverAsync(id, new BatchItemFinished(id, done, JobStatuses.Completed, 3, null), m => m.JobId);
        await Fixture.DeliverAsync(id, new StageTimedOut(id, saga.Attempt, JobStates.Batching, DeadlinePassed: true), m => m.JobId);
        await Fixture.InState(id, m => m.Faulted);

        await Fixture.DeliverAsync(id, new RetryJob(id, "admin"), m => m.JobId);

        saga = await Fixture.InState(id, m => m.Batching);
        Assert.NotNull(saga.DeadlineAt);
        Assert.Contains(saga.History, h => h.Message == "manual retry by admin from Batching");
        Assert.Equal((done, BatchItemStatuses.Completed), (saga.BatchItems![0].JobId, saga.BatchItems[0].Status));
        var again = saga.BatchItems[1].JobId;
        Assert.NotEqual(cut, again);
        Assert.Single(await Fixture.SentAsync<SubmitJob>(again, m => m.JobId));
        await Fixture.DeliverAsync(id, new BatchItemFinished(id, again, JobStatuses.Completed, 3, null), m => m.JobId);
        Assert.Equal(6, Assert.Single(await Fixture.PublishedAsync<JobCompleted>(id, m => m.JobId)).ImageCount);
    }

    [Fact]
    public async Task A_delayed_batch_that_came_due_keeps_its_deadline_and_no_spent_start_time()
    {
        var job = Batch(2, runAt: DateTime.UtcNow.AddHours(1));
        await Fixture.SubmitAsync(job);
        await Fixture.InState(job.JobId, m => m.Submitted);

        await Fixture.DeliverAsync(job.JobId, new StageTimedOut(job.JobId, 0, JobStates.Submitted, DeadlinePassed: false), m => m.JobId);

        // A due time left in the row would have the sweep tell the batch of its start again and again.
        var saga = await Fixture.InState(job.JobId, m => m.Batching);
        Assert.Null(saga.StageTimeoutAt);
        Assert.InRange(saga.DeadlineAt!.Value - saga.StartedAt!.Value, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(601));
    }
}
