using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.Persistence;

/// <summary>A consume context whose sends, publishes, responses and schedules are captured into a <see cref="SagaOutbox"/>.</summary>
sealed class SagaOutboxConsumeContext : ConsumeContextProxy, OutboxSendContext
{
    readonly SagaOutbox outbox;
    readonly IServiceProvider services;

    /// <remarks>
    /// The context is itself an <see cref="IServiceProvider"/> (MassTransit's outbox contract), so it is what
    /// MassTransit finds when it looks for one: it answers from the message's scope if there is one, else from
    /// <paramref name="rootServices"/>.
    /// </remarks>
    public SagaOutboxConsumeContext(ConsumeContext context, SagaOutbox outbox, IServiceProvider rootServices)
        : base(context)
    {
        this.outbox = outbox;
        services = context.TryGetPayload(out IServiceProvider? provider) ? provider : rootServices;
        AddOrUpdatePayload(() => outbox, _ => outbox);

        var receiveContext = new OutboxReceiveContext(this, context.ReceiveContext);
        ReceiveContext = receiveContext;
        PublishEndpointProvider = receiveContext.PublishEndpointProvider;
        if (context.TryGetPayload(out MessageSchedulerContext? scheduler))
        {
            AddOrUpdatePayload<MessageSchedulerContext>(
                () => new ConsumeMessageSchedulerContext(this, scheduler.SchedulerFactory),
                existing => new ConsumeMessageSchedulerContext(this, existing.SchedulerFactory));
        }
    }

    public Task AddSend<T>(SendContext<T> context)
        where T : class
    {
        var isResponse = context.RequestId is not null && RequestId == context.RequestId && ResponseAddress is not null
                         && context.DestinationAddress == ResponseAddress;
        outbox.Add(OutboxMessage.From(context, CorrelationId), durable: !isResponse && context.Message is not JobStatusChanged);
        return Task.CompletedTask;
    }

    public object? GetService(Type serviceType) => services.GetService(serviceType);
}
