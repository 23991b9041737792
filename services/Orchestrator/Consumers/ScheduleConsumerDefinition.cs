using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.Consumers;

public sealed class ScheduleConsumerDefinition : ConsumerDefinition<ScheduleConsumer>
{
    public ScheduleConsumerDefinition() => EndpointName = QueueNames.Schedules;
}
