using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.ServiceDefaults.Messaging;
using Workflow.StageWorkers.Consumption;

namespace Workflow.StageWorkers.Endpoints;

/// <summary>How a stage consumer's endpoint takes work from its queue.</summary>
public static class StageEndpoints
{
    /// <summary>
    /// Names the endpoint and prefetches no more than it works on at once (<paramref name="concurrency"/>): a command
    /// held in an instance's prefetch could not be overtaken by a higher-priority one that arrives later.
    /// </summary>
    public static void Configure(IEndpointRegistrationConfigurator endpoint, string queue, int concurrency)
    {
        endpoint.Name = queue;
        endpoint.ConcurrentMessageLimit = concurrency;
        endpoint.PrefetchCount = concurrency;
    }

    /// <summary>
    /// Applies job-type pauses and the per-job-type limits of <see cref="ConcurrencyOptions"/> to the endpoint's commands;
    /// a stage's level queues (quorum queues) share its pauses and limits.
    /// </summary>
    public static void UseJobTypeLimits(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        var stage = PriorityQueues.StageOf(QueueOf(endpoint.InputAddress));
        var gates = context.GetService<StageGates>() ?? new StageGates();
        endpoint.UseFilter(gates.JobTypeLimits(stage, () => new JobTypeConcurrencyFilter(stage,
            context.GetRequiredService<IOptions<ConcurrencyOptions>>().Value, context.GetService<ConsumptionControl>())));
    }

    /// <summary>
    /// Under quorum queues, runs the commands of a stage's level queue within the stage's <see cref="PriorityGate"/> of
    /// <paramref name="concurrency"/> slots, so the instance drains higher levels first. Nothing under classic queues.
    /// </summary>
    public static void UsePriorityLevels(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context, int concurrency)
    {
        if (context.GetService<IOptions<RabbitMqOptions>>()?.Value.QueueType != RabbitMqQueueType.Quorum)
        {
            return;
        }

        var queue = QueueOf(endpoint.InputAddress);
        var gates = context.GetService<StageGates>() ?? new StageGates();
        var level = PriorityQueues.Levels.ToList().IndexOf(PriorityQueues.LevelOfQueue(queue));
        endpoint.UseFilter(new PriorityGateFilter(gates.Priority(PriorityQueues.StageOf(queue), concurrency), level));
    }

    /// <summary>The queue an endpoint address names (its last path segment).</summary>
    public static string QueueOf(Uri address) => address.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
}
