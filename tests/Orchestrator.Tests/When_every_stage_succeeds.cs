using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_every_stage_succeeds : JobSagaSpec
{
    [Fact]
    public async Task Completes_through_every_stage_and_passes_the_milestones()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.InState(id, m => m.Analyzing);

        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Enhancing);
        var enhance = Assert.Single(await Fixture.SentAsync<EnhancePrompts>(id, m => m.JobId));
        Assert.Equal(3, enhance.Combinations.Count);

        await Fixture.DeliverAsync(id, Enhanced(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Generating);
        var generate = Assert.Single(await Fixture.SentAsync<GenerateImages>(id, m => m.JobId));
        Assert.Equal(3, generate.Prompts.Count);
        Assert.Equal((64, 64), (generate.Width, generate.Height));
        Assert.Equal(job.Owner, generate.Owner);

        await Fixture.DeliverAsync(id, Generated(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Finalizing);
        Assert.Single(await Fixture.SentAsync<PostProcessImages>(id, m => m.JobId));

        await Fixture.DeliverAsync(id, PostProcessed(id, 1), m => m.JobId);
        var saga = await Fixture.InState(id, m => m.Completed);

        Assert.Equal(100, saga.ProgressPercent);
        Assert.NotNull(saga.CompletedAt);
        Assert.Equal(3, saga.Statistics!.ImageCount);
        Assert.Equal($"jobs/{id}/manifest.json", saga.ManifestBlobKey);
        Assert.Equal(["Submitted", "Analyzing", "Enhancing", "Generating", "Finalizing", "Completed"], saga.History.Select(h => h.State).Distinct());
        var completed = Assert.Single(await Fixture.PublishedAsync<JobCompleted>(id, m => m.JobId));
        Assert.Equal(3, completed.ImageCount);
        Assert.Equal(saga.Sequence, completed.Sequence);

        // One status event per stage, carrying the milestone before it; the completed event is the last of all.
        var statuses = (await Fixture.PublishedAsync<JobStatusChanged>(id, m => m.JobId, 4)).OrderBy(s => s.Sequence).ToList();
        Assert.Equal([0, 20, 40, 80], statuses.Select(s => s.Progress.Percent));
        Assert.Equal(["Analyzing", "Enhancing", "Generating", "Finalizing"], statuses.Select(s => s.Progress.Stage));
        Assert.All(statuses, s => Assert.Equal("processing", s.Status));
        // The images' progress events take the numbers between the Generating and the Finalizing status.
        var generating = statuses[2];
        Assert.Equal(generating.Sequence, generate.ProgressSequence);
        Assert.Equal([1, 2, 3, generate.ProgressSequence + generate.Prompts.Count + 1],
            statuses.Select(s => s.Sequence));
        Assert.Equal(statuses[^1].Sequence + 1, completed.Sequence);
    }
}
