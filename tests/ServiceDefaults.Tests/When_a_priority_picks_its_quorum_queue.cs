using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.ServiceDefaults.Tests;

public sealed class When_a_priority_picks_its_quorum_queue
{
    [Theory]
    [InlineData("high", "generate-images-high")]
    [InlineData("normal", "generate-images")]
    [InlineData("low", "generate-images-low")]
    [InlineData(null, "generate-images")]
    public void A_jobs_priority_routes_its_command_to_the_level_queue(string? jobPriority, string queue)
    {
        var level = PriorityQueues.RoutingKeyOf(MessagePriorities.Of(jobPriority));

        Assert.Equal(queue, PriorityQueues.QueueOf(QueueNames.GenerateImages, level));
    }

    [Theory]
    [InlineData("generate-images-high", "generate-images", "high")]
    [InlineData("generate-images", "generate-images", "normal")]
    [InlineData("analyze-combinations-low", "analyze-combinations", "low")]
    [InlineData("job-state", "job-state", "normal")]
    [InlineData("job-state-high", "job-state-high", "normal")]
    public void A_level_queue_names_its_stage_and_level(string queue, string stage, string level)
    {
        Assert.Equal(stage, PriorityQueues.StageOf(queue));
        Assert.Equal(level, PriorityQueues.LevelOfQueue(queue));
    }

    [Fact]
    public void Every_level_of_every_stage_has_a_distinct_queue()
    {
        var queues = QueueNames.Stages.SelectMany(s => PriorityQueues.Levels.Select(l => PriorityQueues.QueueOf(s, l))).ToList();

        Assert.Equal(QueueNames.Stages.Count * 3, queues.Distinct().Count());
        Assert.DoesNotContain(queues, q => QueueNames.All.Contains(q) && !QueueNames.Stages.Contains(q));
    }
}
