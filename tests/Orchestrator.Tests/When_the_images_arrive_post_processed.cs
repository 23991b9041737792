using Workflow.Contracts.V1;
using static Workflow.Orchestrator.Tests.JobSagaFixture;

namespace Workflow.Orchestrator.Tests;

public sealed class When_the_images_arrive_post_processed : JobSagaSpec
{
    [Fact]
    public async Task Completes_without_a_finalizing_command_and_the_history_still_shows_the_stage()
    {
        var job = NewJob();
        var id = job.JobId;
        await Fixture.SubmitAsync(job);
        await Fixture.DeliverAsync(id, Analyzed(id, 1), m => m.JobId);
        await Fixture.DeliverAsync(id, Enhanced(id, 1), m => m.JobId);
        await Fixture.InState(id, m => m.Generating);

        await Fixture.DeliverAsync(id, Generated(id, 1) with { PostProcessed = PostProcessed(id, 1) }, m => m.JobId);
        var saga = await Fixture.InState(id, m => m.Completed);

        Assert.Empty(Fixture.Sent<PostProcessImages>(id, m => m.JobId));
        Assert.Equal(100, saga.ProgressPercent);
        Assert.Equal(3, saga.Statistics!.ImageCount);
        Assert.Equal($"jobs/{id}/manifest.json", saga.ManifestBlobKey);
        Assert.Equal(["Submitted", "Analyzing", "Enhancing", "Generating", "Finalizing", "Completed"], saga.History.Select(h => h.State).Distinct());
        Assert.Contains(saga.History, h => h.State == "Finalizing" && h.Message.Contains("done with the images"));
        // No status event for a stage that took no time of its own: the completed event follows the Generating status.
        var completed = Assert.Single(await Fixture.PublishedAsync<JobCompleted>(id, m => m.JobId));
        var statuses = Fixture.Published<JobStatusChanged>(id, m => m.JobId).OrderBy(s => s.Sequence).ToList();
        Assert.Equal(["Analyzing", "Enhancing", "Generating"], statuses.Select(s => s.Progress.Stage));
        Assert.Equal(saga.Sequence, completed.Sequence);
        Assert.True(completed.Sequence > statuses[^1].Sequence);
    }
}
