using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults;

namespace Workflow.StageWorkers.Consumption;

/// <summary>At start-up, asks the Orchestrator what is paused (retrying until it answers), so a new instance honours earlier pauses.</summary>
sealed class ConsumptionStateLoader(IBus bus, ConsumptionControl control, ILogger<ConsumptionStateLoader> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = bus.CreateRequestClient<GetConsumptionState>(QueueNames.Address(QueueNames.ConsumptionControl), RequestTimeout.After(s: 10));
        // However long it takes: a failed start-up question must not stop the service.
        return StartupRetry.RunAsync("The Orchestrator (what is paused)", async ct =>
        {
            var response = await client.GetResponse<ConsumptionState>(new GetConsumptionState(), ct);
            await control.ApplyAsync(response.Message);
        }, e => e is RequestTimeoutException || StartupRetry.RabbitMqNotReachable(e), logger, stoppingToken, Timeout.InfiniteTimeSpan);
    }
}
