using MassTransit;
using Workflow.StageWorkers.Retries;

namespace Workflow.StageWorkers.Endpoints;

/// <summary>
/// The endpoint of a stage command's consumer: named after the stage's queue, taking no more than
/// <c>concurrency</c> commands at once, holding paused job types, limiting each job type, draining higher priority
/// levels first under quorum queues, and retrying per the stage's retry layers (inside an outbox unless <c>outbox</c>
/// is false).
/// </summary>
public abstract class StageConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>, IStageConsumerDefinition
    where TConsumer : class, IConsumer
{
    readonly string stage;
    readonly bool outbox;

    protected StageConsumerDefinition(string queue, string stage, int concurrency, bool outbox = true)
    {
        this.stage = stage;
        this.outbox = outbox;
        Queue = queue;
        Concurrency = concurrency;
        Endpoint(e => StageEndpoints.Configure(e, queue, concurrency));
    }

    public string Queue { get; }

    public int Concurrency { get; }

    public Type ConsumerType => typeof(TConsumer);

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseJobTypeLimits(context);
        endpointConfigurator.UsePriorityLevels(context, Concurrency);
        endpointConfigurator.UseStageRetry(context, stage, outbox);
    }
}
