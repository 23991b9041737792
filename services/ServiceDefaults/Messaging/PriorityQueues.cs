using Workflow.Contracts.V1;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// Priorities on quorum queues, which have no <c>x-max-priority</c> in RabbitMQ 3.x: each stage queue
/// (<see cref="QueueNames.Stages"/>) becomes a queue per level. Senders keep sending to the stage's exchange; it passes
/// every command to a direct exchange (<see cref="RouterOf"/>) that routes on the routing key the sender set from the
/// message's priority (<see cref="RoutingKeyOf"/>). The normal level keeps the stage's own queue name, so a command
/// without a priority, a redelivery to the stage's address and the dashboards all find it there.
/// </summary>
public static class PriorityQueues
{
    /// <summary>The levels, highest first: the order in which a stage instance drains them.</summary>
    public static readonly IReadOnlyList<string> Levels = ["high", "normal", "low"];

    /// <summary>The level that keeps the stage queue's own name and takes what carries no priority.</summary>
    public const string Normal = "normal";

    /// <summary>The level of a RabbitMQ message priority: <see cref="MessagePriorities.Of"/> backwards.</summary>
    public static string LevelOf(byte priority) => priority switch
    {
        >= MessagePriorities.Max => "high",
        <= 1 => "low",
        _ => Normal,
    };

    /// <summary>The routing key that takes a message of <paramref name="priority"/> to its level's queue.</summary>
    public static string RoutingKeyOf(byte priority) => LevelOf(priority);

    /// <summary>The queue of <paramref name="level"/> for <paramref name="stageQueue"/>: <c>generate-images-high</c>, <c>generate-images</c> …</summary>
    public static string QueueOf(string stageQueue, string level) => level == Normal ? stageQueue : $"{stageQueue}-{level}";

    /// <summary>The direct exchange between a stage's exchange and its level queues.</summary>
    public static string RouterOf(string stageQueue) => $"{stageQueue}-by-priority";

    /// <summary>The stage queue a level queue belongs to (a stage queue is its own normal level); any other queue is itself.</summary>
    public static string StageOf(string queue)
    {
        foreach (var level in Levels)
        {
            var suffix = $"-{level}";
            if (level != Normal && queue.EndsWith(suffix, StringComparison.Ordinal) && QueueNames.Stages.Contains(queue[..^suffix.Length]))
            {
                return queue[..^suffix.Length];
            }
        }

        return queue;
    }

    /// <summary>The level a queue serves: <see cref="Normal"/> for a stage queue itself and any queue that is not a level queue.</summary>
    public static string LevelOfQueue(string queue)
    {
        var stage = StageOf(queue);
        return stage == queue ? Normal : queue[(stage.Length + 1)..];
    }
}
