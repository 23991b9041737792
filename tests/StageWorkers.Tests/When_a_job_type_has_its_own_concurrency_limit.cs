using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.StageWorkers.Endpoints;
using Workflow.TestKit;

namespace Workflow.StageWorkers.Tests;

/// <summary>A stage endpoint with a per-job-type limit of one command at a time.</summary>
public sealed class When_a_job_type_has_its_own_concurrency_limit : HarnessSpec
{
    protected override IServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ConcurrencyTracker>();
        services.AddOptions<ConcurrencyOptions>().Configure(o => o.JobTypes["batch-processing"] = 1);
        return services.AddMassTransitTestHarness(x => x.AddConsumer<SlowAnalyzer, SlowAnalyzer.Definition>());
    }

    [Fact]
    public async Task Its_commands_run_one_at_a_time_while_other_types_run_alongside()
    {
        var tracker = Provider.GetRequiredService<ConcurrencyTracker>();
        var limited = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
        var free = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();

        foreach (var id in limited)
        {
            await Harness.Bus.Publish(Command(id), send => send.Headers.Set(JobHeaders.JobType, "batch-processing"));
        }

        foreach (var id in free)
        {
            await Harness.Bus.Publish(Command(id), send => send.Headers.Set(JobHeaders.JobType, "image-generation"));
        }

        foreach (var id in limited.Concat(free))
        {
            await Harness.PublishedAsync<CombinationsAnalyzed>(x => x.JobId == id);
        }

        Assert.Equal(1, tracker.MostAtOnce("batch-processing"));
        Assert.True(tracker.MostAtOnce("image-generation") > 1, "the unlimited type should run in parallel");
    }

    static AnalyzeCombinations Command(Guid jobId) =>
        new(jobId, 1, "demo", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink"] }, 1, null);
}
