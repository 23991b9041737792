using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.StageWorkers.Endpoints;

/// <summary>
/// Under quorum queues, the receive endpoints of a stage's level queues (<see cref="PriorityQueues"/>): the same consumer
/// with the same limits on each. All three are configured here, the normal level's under the stage queue's own name:
/// MassTransit's ConfigureEndpoints leaves out a consumer that is already configured on an endpoint.
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
            foreach (var level in PriorityQueues.Levels)
            {
                var queue = PriorityQueues.QueueOf(definition.Queue, level);
                bus.ReceiveEndpoint(queue, e =>
                {
                    // As StageEndpoints.Configure: nothing prefetched beyond what the stage works on at once.
                    e.PrefetchCount = definition.Concurrency;
                    e.ConcurrentMessageLimit = definition.Concurrency;
                    // A command published rather than sent reaches the stage's exchange, and its router, once: through
                    // the normal level's binding only, not a copy into every level.
                    e.ConfigureConsumeTopology = level == PriorityQueues.Normal;
                    DurableQueues.Configure(e, queue, RabbitMqQueueType.Quorum);
                    e.ConfigureConsumer(context, definition.ConsumerType);
                });
            }
        }
    }
}
