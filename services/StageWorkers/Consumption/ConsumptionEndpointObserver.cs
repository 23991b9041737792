using MassTransit;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Messaging;
using Workflow.StageWorkers.Endpoints;

namespace Workflow.StageWorkers.Consumption;

/// <summary>Hands every stage endpoint (and, under quorum queues, each of its level endpoints) that becomes ready to <see cref="ConsumptionControl"/>.</summary>
sealed class ConsumptionEndpointObserver(ConsumptionControl control) : IReceiveEndpointObserver
{
    public Task Ready(ReceiveEndpointReady ready)
    {
        var queue = StageEndpoints.QueueOf(ready.InputAddress);
        // Not awaited here: stopping an endpoint from inside its own start-up notification would wait on itself.
        return QueueNames.Stages.Contains(PriorityQueues.StageOf(queue))
            ? Task.Run(() => control.EndpointReadyAsync(queue, ready.ReceiveEndpoint))
            : Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}
