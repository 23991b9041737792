using System.Globalization;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;
using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

[Collection(RecoverySystemCollection.Name)]
public sealed class When_the_infrastructure_restarts_during_a_run(RecoverySystem system, ITestOutputHelper output)
{
    const int JobCount = 100;

    [Theory]
    [InlineData("rabbitmq")]
    [InlineData("postgres")]
    public async Task All_100_jobs_complete_and_no_image_is_rendered_twice(string component)
    {
        // Each image takes the provider 1.5 s, five at a time: the run lasts about half a minute.
        var marker = $"slow {component} {Guid.NewGuid():N}";
        var run = await JobRun.SubmitAsync(system, marker, JobCount);
        // Unhindered the run takes half a minute; the restart and a slow shared machine are given the rest.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        await run.WaitUntilUnderWayAsync(deadline);

        var before = await run.CompletedAsync();
        var stoppedAt = DateTime.UtcNow;
        await system.RestartAsync(component);
        var backAt = DateTime.UtcNow;
        DateTime? progressAt = null;
        var done = 0;
        await Wait.UntilAsync(
            async () =>
            {
                done = await run.CompletedAsync();
                if (progressAt is null && done > before)
                {
                    progressAt = DateTime.UtcNow;
                }

                return done == JobCount;
            },
            async () =>
            {
                var unfinished = await run.UnfinishedAsync();
                return string.Create(CultureInfo.InvariantCulture,
                    $"{done} of {JobCount} jobs completed three minutes after the first was submitted ({before} before {component} went down at {stoppedAt:HH:mm:ss.f}, " +
                    $"back up {(backAt - stoppedAt).TotalSeconds:0.0} s later); the others:\n{unfinished}\n{system.Logs()}");
            },
            deadline - DateTime.UtcNow);

        progressAt ??= DateTime.UtcNow;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{component} restart with {before} of {JobCount} jobs done: down and back up in {(backAt - stoppedAt).TotalSeconds:0.0} s; " +
            $"next job completed {(progressAt.Value - backAt).TotalSeconds:0.0} s after it was back; all done {(DateTime.UtcNow - backAt).TotalSeconds:0.0} s after"));

        // Each job's one image was rendered once: a redelivered or retried stage reused its checkpoint.
        var rendered = system.ImageApi.For(marker).Where(r => r.Status == 200).GroupBy(r => r.Prompt.Split(',')[0]).ToList();
        Assert.Equal(JobCount, rendered.Count);
        Assert.All(rendered, g => Assert.True(g.Count() == 1, $"{g.Key} rendered {g.Count()} times"));
        Assert.Null(await run.NotCompletedOnceAsync());
    }
}
