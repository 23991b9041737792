using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.Consumers;

public sealed class ConsumptionControlConsumerDefinition : ConsumerDefinition<ConsumptionControlConsumer>
{
    public ConsumptionControlConsumerDefinition()
    {
        EndpointName = QueueNames.ConsumptionControl;
        // One change at a time: each published set includes every change before it.
        ConcurrentMessageLimit = 1;
    }
}
