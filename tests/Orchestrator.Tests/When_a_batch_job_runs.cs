using Workflow.Contracts.V1;
using Workflow.Orchestrator.StateMachines.Activities;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_a_batch_job_runs : JobSagaSpec
{
    static SubmitJob Batch(int items)
    {
        var item = NewJob().Input;
        var job = NewJob(JobTypes.BatchProcessing);
        return job with { Input = item with { Items = [.. Enumerable.Repeat(item, items)] } };
    }

    [Fact]
    public async Task Runs_items_in_chunks_and_completes_despite_a_failed_item()
    {
        var job = Batch(6);
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        var saga = await Fixture.InState(id, m => m.Batching);

        // At most four items run at once.
        var firstItems = await Fixture.SentAsync<SubmitJob>(id, m => m.ParentJobId ?? Guid.Empty, Batches.Parallelism);
        Assert.Equal(Batches.Parallelism, firstItems.Count);
        Assert.All(firstItems, i => Assert.Equal(JobTypes.ImageGeneration, i.Type));

        var items = saga.BatchItems!;
        await Fixture.DeliverAsync(id, new BatchItemFinished(id, items[0].JobId, "completed", 3, null), m => m.JobId);
        await Fixture.DeliverAsync(id, new BatchItemFinished(id, items[1].JobId, "failed", 0, "provider refused"), m => m.JobId);
        Assert.Equal(6, (await Fixture.SentAsync<SubmitJob>(id, m => m.ParentJobId ?? Guid.Empty, 6)).Count);
        foreach (var item in items.Skip(2))
        {
            await Fixture.DeliverAsync(id, new BatchItemFinished(id, item.JobId, "completed", 3, null), m => m.JobId);
        }

        saga = await Fixture.InState(id, m => m.Completed);
        Assert.Equal(100, saga.ProgressPercent);
        Assert.Equal(["completed", "failed", "completed", "completed", "completed", "completed"], saga.BatchItems!.Select(i => i.Status));
        Assert.Contains(saga.Errors, e => e.Message.Contains("item 1 failed: provider refused", StringComparison.Ordinal));
        Assert.Equal(15, Assert.Single(await Fixture.PublishedAsync<JobCompleted>(id, m => m.JobId)).ImageCount);
    }

    [Fact]
    public async Task An_item_tells_its_batch_when_it_ends()
    {
        var parent = Guid.NewGuid();
        var item = NewJob(JobTypes.CombinationAnalysis) with { ParentJobId = parent };
        await Fixture.SubmitAsync(item);
        await Fixture.InState(item.JobId, m => m.Analyzing);

        await Fixture.DeliverAsync(item.JobId, Analyzed(item.JobId, 1), m => m.JobId);

        var finished = Assert.Single(await Fixture.SentAsync<BatchItemFinished>(parent, m => m.JobId));
        Assert.Equal((item.JobId, "completed"), (finished.ItemJobId, finished.Status));
    }
}
