using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

    /// <summary>Applies job-type pauses and the per-job-type limits of <see cref="ConcurrencyOptions"/> to the endpoint's commands.</summary>
    public static void UseJobTypeLimits(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseFilter(new JobTypeConcurrencyFilter(QueueOf(endpoint.InputAddress),
            context.GetRequiredService<IOptions<ConcurrencyOptions>>().Value, context.GetService<ConsumptionControl>()));

    /// <summary>The queue an endpoint address names (its last path segment).</summary>
    public static string QueueOf(Uri address) => address.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
}
