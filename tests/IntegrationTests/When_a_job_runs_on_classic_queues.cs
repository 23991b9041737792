using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.IntegrationTests;

/// <summary>The local run's queues: a classic priority queue per stage, no level queues.</summary>
[Collection(WorkflowSystemCollection.Name)]
public sealed class When_a_job_runs_on_classic_queues(WorkflowSystem system) : QueueTypeScenario(system)
{
    protected override string QueueType => "classic";

    protected override IReadOnlyList<string> LevelQueuesOf(string stage) => [stage];

    [Fact]
    public async Task No_stage_has_level_queues()
    {
        var queues = await Platform.VirtualHost.QueuesAsync();

        Assert.DoesNotContain(queues, q => q.Name.EndsWith("-high", StringComparison.Ordinal) || q.Name.EndsWith("-low", StringComparison.Ordinal));
    }
}
