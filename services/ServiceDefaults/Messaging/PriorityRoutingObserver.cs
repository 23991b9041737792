using MassTransit;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// Under quorum queues, gives every message that carries a priority the routing key of its level
/// (<see cref="PriorityQueues"/>), so that a stage's router puts it in that level's queue. An observer, not a send filter:
/// it runs after the sender's own pipe and MassTransit's copy of the consumed message's priority, so it sees the final
/// priority. Fanout exchanges ignore the key, so the other messages go where they went. Not connected under classic queues.
/// </summary>
sealed class PriorityRoutingObserver : ISendObserver
{
    public Task PreSend<T>(SendContext<T> context)
        where T : class
    {
        // A routing key already set (a reply-to address needs its own) is left alone.
        if (context is RabbitMqSendContext { RoutingKey: null or "" } rabbit && rabbit.BasicProperties.IsPriorityPresent())
        {
            rabbit.RoutingKey = PriorityQueues.RoutingKeyOf(rabbit.BasicProperties.Priority);
        }

        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
