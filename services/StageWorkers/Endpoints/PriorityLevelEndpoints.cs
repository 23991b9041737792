using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.StageWorkers.Endpoints;

/// <summary>
/// Under quorum queues, the receive endpoints of a stage's levels above and below normal (<see cref="PriorityQueues"/>):
/// the same consumer with the same limits as the stage's own endpoint, which serves the normal level.
/// </summary>
static class PriorityLevelEndpoints
{
    /// <summary>The service types of the stage consumer definitions registered in <paramref name="services"/>.</summary>
    public static IReadOnlyList<Type> DefinitionsIn(IServiceCollection services) =>
        [.. services.Where(d => d.ImplementationType is { } type && typeof(IStageConsumerDefinition).IsAssignableFrom(type)).Select(d => d.ServiceType).Distinct()];

    public static void Configure(IBusRegistrationContext context, IRabbitMqBusFactoryConfigurator bus, IReadOnlyList<Type> definitions)
    {
        if (context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueueType != RabbitMqQueueType.Quorum)
        {
            return;
        }

        foreach (var definition in definitions.Select(t => (IStageConsumerDefinition)context.GetRequiredService(t)))
        {
            foreach (var level in PriorityQueues.Levels.Where(l => l != PriorityQueues.Normal))
            {
                var queue = PriorityQueues.QueueOf(definition.Queue, level);
                bus.ReceiveEndpoint(queue, e =>
                {
                    // As StageEndpoints.Configure: nothing prefetched beyond what the stage works on at once.
                    e.PrefetchCount = definition.Concurrency;
                    e.ConcurrentMessageLimit = definition.Concurrency;
                    DurableQueues.Configure(e, queue, RabbitMqQueueType.Quorum);
                    e.ConfigureConsumer(context, definition.ConsumerType);
                });
            }
        }
    }
}
