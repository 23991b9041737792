using System.Globalization;
using Workflow.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

/// <summary>
/// The platform on the second PostgreSQL and RabbitMQ (<c>WORKFLOW_INSTANCE=recovery</c>), which these tests stop
/// and start in the middle of a run without disturbing the tests that share the first pair.
/// </summary>
public sealed class RecoverySystem : ReliabilitySystem
{
    protected override string RabbitHost => TestInfrastructure.Recovery.RabbitHost;
    protected override int RabbitPort => TestInfrastructure.Recovery.RabbitPort;
    protected override string RabbitManagementUrl => TestInfrastructure.Recovery.RabbitManagementUrl;
    protected override string PostgresAdminConnection => TestInfrastructure.Recovery.PostgresAdminConnection;

    public override async Task InitializeAsync()
    {
        await DevScriptAsync("infra");
        await base.InitializeAsync();
    }

    /// <summary>Stops and starts <paramref name="component"/> (<c>rabbitmq</c> or <c>postgres</c>); returns when it answers again.</summary>
    public Task RestartAsync(string component) => DevScriptAsync("restart", component);

    static Task DevScriptAsync(params string[] arguments) =>
        DevScript.RunAsync(new Dictionary<string, string> { ["WORKFLOW_INSTANCE"] = "recovery" }, arguments);
}

/// <summary>Runs alone, after the other collections: restarts are timed, and a machine busy with other tests would blur them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RecoverySystemCollection : ICollectionFixture<RecoverySystem>
{
    public const string Name = "recovery system";
}

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
        int done;
        while ((done = await run.CompletedAsync()) < JobCount)
        {
            if (progressAt is null && done > before)
            {
                progressAt = DateTime.UtcNow;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var unfinished = await run.UnfinishedAsync();
                Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"{done} of {JobCount} jobs completed three minutes after the first was submitted ({before} before {component} went down at {stoppedAt:HH:mm:ss.f}, " +
                    $"back up {(backAt - stoppedAt).TotalSeconds:0.0} s later); the others:\n{unfinished}\n{system.Logs()}"));
            }

            await Task.Delay(200);
        }

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
