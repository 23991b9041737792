using System.Globalization;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;
using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_the_orchestrator_is_killed_during_a_run(ReliabilitySystem system, ITestOutputHelper output)
{
    const int JobCount = 100;

    [Fact]
    public async Task Every_one_of_100_jobs_completes_exactly_once_and_completions_resume_within_seconds()
    {
        await using var recorder = await JobEventRecorder.StartAsync(system.VirtualHost);
        // Each image takes the provider 1.5 s, five at a time: the run lasts about half a minute.
        var marker = $"slow orchestrator kill {Guid.NewGuid():N}";
        var run = await JobRun.SubmitAsync(system, marker, JobCount);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        await run.WaitUntilUnderWayAsync(deadline);

        var before = await run.CompletedAsync();
        await system.Instance("Orchestrator").KillAsync();
        var killedAt = DateTime.UtcNow;
        await system.StartAnotherAsync("Orchestrator");
        var readyAt = DateTime.UtcNow;

        var done = 0;
        await Wait.UntilAsync(
            async () => (done = await run.CompletedAsync()) == JobCount,
            async () =>
            {
                var unfinished = await run.UnfinishedAsync();
                return string.Create(CultureInfo.InvariantCulture,
                    $"{done} of {JobCount} jobs completed three minutes after the first was submitted ({before} before the kill at {killedAt:HH:mm:ss.f}); " +
                    $"the others:\n{unfinished}\n{system.Logs()}");
            },
            deadline - DateTime.UtcNow);

        var ours = run.Ids.ToHashSet();
        // The recorder may still be taking the last events: wait until it heard of every job.
        await Wait.UntilAsync(() => recorder.Completions.Select(c => c.Event.JobId).Where(ours.Contains).Distinct().Count() == JobCount,
            "the recorder did not hear every completion", TimeSpan.FromSeconds(30));
        var completions = recorder.Completions.Where(c => ours.Contains(c.Event.JobId)).ToList();
        var nextAfterKill = completions.Where(c => c.ReceivedAt > killedAt).Min(c => c.ReceivedAt);
        var redelivered = completions.Count - completions.Select(c => c.Event.JobId).Distinct().Count();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Orchestrator kill -9 with {before} of {JobCount} jobs completed: a new instance ready {(readyAt - killedAt).TotalSeconds:0.0} s after the kill, " +
            $"the next completion {(nextAfterKill - killedAt).TotalSeconds:0.0} s after the kill, all done {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s after it; " +
            $"{redelivered} completion events delivered again"));

        // Each job completed once: one completion in its history, and every JobCompleted it published is the same event
        // (one sequence number), so a subscriber that drops what it has seen sees one completion.
        var notOnce = await run.NotCompletedOnceAsync();
        Assert.True(notOnce is null, $"jobs not completed exactly once: {notOnce}");
        Assert.All(completions.GroupBy(c => c.Event.JobId), g => Assert.Single(g.Select(c => c.Event.Sequence).Distinct()));
        // And no image was rendered twice: the stages' results that the killed instance had not handled waited in the queue.
        var rendered = system.ImageApi.For(marker).Where(r => r.Status == 200).GroupBy(r => r.Prompt.Split(',')[0]).ToList();
        Assert.Equal(JobCount, rendered.Count);
        Assert.All(rendered, g => Assert.True(g.Count() == 1, $"{g.Key} rendered {g.Count()} times"));
    }
}
