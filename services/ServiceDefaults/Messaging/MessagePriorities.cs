using MassTransit;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// A job's priority as a RabbitMQ message priority. Every queue is a priority queue (<see cref="Max"/>) and every
/// message of a job carries its priority: the saga sets it on the commands it sends, and a message sent while
/// consuming another inherits the consumed one's, so a high job overtakes a backlog at every stage.
/// </summary>
public static class MessagePriorities
{
    public const byte Max = 3;

    /// <summary><c>high</c> 3, <c>normal</c> 2, <c>low</c> 1.</summary>
    public static byte Of(string? jobPriority) => jobPriority switch
    {
        "high" => 3,
        "low" => 1,
        _ => 2,
    };

    /// <summary>Sets the priority on a message to RabbitMQ (other transports have none, and ignore it).</summary>
    public static void SetJobPriority(this SendContext context, string? jobPriority) => context.TrySetPriority(Of(jobPriority));
}
