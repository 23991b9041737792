using MassTransit;
using Workflow.Contracts.V1;
using Workflow.Orchestrator.MessageScheduler;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.Orchestrator.Consumers;

public sealed class ScheduleMessageConsumerDefinition : ConsumerDefinition<ScheduleMessageConsumer>
{
    public ScheduleMessageConsumerDefinition(Microsoft.Extensions.Options.IOptions<SchedulerOptions> options)
    {
        EndpointName = QueueNames.Scheduler;
        ConcurrentMessageLimit = options.Value.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ScheduleMessageConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // PostgreSQL restarting: hold the command and try again until it is back.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(Failures.DatabaseOutageIntervals));
    }
}
