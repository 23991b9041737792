using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;
using Workflow.Contracts.V1;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>How a receive endpoint's queue is declared for <see cref="RabbitMqOptions.QueueType"/>.</summary>
public static class DurableQueues
{
    /// <summary>
    /// Classic: the command queues order by priority; messages carry their job's (<see cref="MessagePriorities"/>), and
    /// the other durable queues stay first in, first out. Quorum: every durable queue is a quorum queue (its
    /// <c>_error</c> and <c>_skipped</c> queues copy its arguments), and a stage queue, now the normal level, is fed by
    /// its router rather than straight from its exchange (<see cref="PriorityQueues"/>). Temporary per-instance queues
    /// (the Notifier's events, pause changes, move-ons) stay auto-delete classic queues: a quorum queue cannot be one.
    /// </summary>
    public static void Configure(IReceiveEndpointConfigurator endpoint, string queue, RabbitMqQueueType queueType)
    {
        if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            return;
        }

        if (queueType == RabbitMqQueueType.Classic)
        {
            if (QueueNames.All.Contains(queue))
            {
                rabbit.EnablePriority(MessagePriorities.Max);
            }

            return;
        }

        if (endpoint is IRabbitMqReceiveEndpointConfiguration { Settings: { Durable: true, AutoDelete: false } })
        {
            rabbit.SetQuorumQueue();
            if (QueueNames.Stages.Contains(queue))
            {
                rabbit.BindQueue = false;
            }
        }
    }
}
