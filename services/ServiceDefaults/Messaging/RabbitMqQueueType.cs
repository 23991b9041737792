namespace Workflow.ServiceDefaults.Messaging;

/// <summary>The type of every durable queue the services declare (<c>RabbitMq:QueueType</c>).</summary>
public enum RabbitMqQueueType
{
    /// <summary>Classic queues: one node holds each; stage queues order by priority (<c>x-max-priority</c>). The local run's.</summary>
    Classic,

    /// <summary>
    /// Quorum queues, replicated over a majority of a cluster's nodes, so a node that goes loses no message. RabbitMQ 3.x
    /// quorum queues have no priorities: each stage has a queue per priority level instead (<see cref="PriorityQueues"/>).
    /// </summary>
    Quorum,
}
