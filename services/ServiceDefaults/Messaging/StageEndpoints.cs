using MassTransit;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>How a stage consumer's endpoint takes work from its queue.</summary>
public static class StageEndpoints
{
    /// <summary>Commands one instance works on at once, unless the stage sets its own limit.</summary>
    public const int DefaultConcurrency = 8;

    /// <summary>
    /// Names the endpoint and prefetches no more than it works on at once: a command held in an instance's
    /// prefetch could not be overtaken by a higher-priority one that arrives later.
    /// </summary>
    public static void Configure(IEndpointRegistrationConfigurator endpoint, string queue, int concurrency = DefaultConcurrency)
    {
        endpoint.Name = queue;
        endpoint.ConcurrentMessageLimit = concurrency;
        endpoint.PrefetchCount = concurrency;
    }
}
