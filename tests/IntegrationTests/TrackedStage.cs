using MassTransit;
using Workflow.Contracts.V1;
using Workflow.StageWorkers.Endpoints;
using Workflow.TestKit;
namespace Workflow.IntegrationTests;

public sealed class TrackedStage(ConcurrencyTracker tracker) : IConsumer<TrackedCommand>
{
    public const string Queue = "tracked-stage";

    public async Task Consume(ConsumeContext<TrackedCommand> context)
    {
        var jobType = context.Headers.Get<string>(JobHeaders.JobType)!;
        tracker.Enter(jobType);
        try
        {
            await Task.Delay(300, context.CancellationToken);
        }
        finally
        {
            tracker.Leave(jobType);
        }
    }

    public sealed class Definition : ConsumerDefinition<TrackedStage>
    {
        public Definition() => Endpoint(e => StageEndpoints.Configure(e, Queue, When_a_stage_has_instance_and_job_type_limits.InstanceLimit));

        protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TrackedStage> consumerConfigurator, IRegistrationContext context) =>
            endpointConfigurator.UseJobTypeLimits(context);
    }
}
