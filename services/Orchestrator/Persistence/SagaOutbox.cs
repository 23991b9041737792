using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Serialization;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// What the saga sends while it handles one message. The repository stores it with the saga's new state, in one
/// transaction (<see cref="TakeUnstored()"/>), so a state that was saved never loses the commands it decided on: if the
/// broker is gone when they are delivered, they wait in the table for <see cref="OutboxDispatcher"/>.
/// Responses to requests are the exception: they too leave only after the commit, but are not stored, because a
/// response matters only while its requester waits, and one that times out asks again (the Gateway's submission
/// answers 503 and the retried submission, idempotent, is answered by the saga that exists).
/// </summary>
public sealed class SagaOutbox
{
    readonly List<(OutboxMessage Message, bool Stored)> messages = [];
    readonly HashSet<OutboxMessage> responses = [];

    public void Add(OutboxMessage message, bool isResponse)
    {
        lock (messages)
        {
            messages.Add((message, false));
            if (isResponse)
            {
                responses.Add(message);
            }
        }
    }

    /// <summary>Whether <paramref name="message"/> answers the request being handled (sent after the commit, never stored).</summary>
    public bool IsResponse(OutboxMessage message)
    {
        lock (messages)
        {
            return responses.Contains(message);
        }
    }

    /// <summary>
    /// The messages not stored yet, now counted as stored: the caller writes them in the transaction that saves the
    /// saga (<see cref="JobSagaRepository"/>), and a failed save fails the whole message, outbox and all.
    /// </summary>
    public static IReadOnlyList<OutboxMessage> TakeUnstored(ConsumeContext context) =>
        context.TryGetPayload(out SagaOutbox? outbox) ? outbox.TakeUnstored() : [];

    /// <inheritdoc cref="TakeUnstored(ConsumeContext)"/>
    public IReadOnlyList<OutboxMessage> TakeUnstored()
    {
        var unstored = new List<OutboxMessage>();
        lock (messages)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                if (!messages[i].Stored && !responses.Contains(messages[i].Message))
                {
                    unstored.Add(messages[i].Message);
                    messages[i] = (messages[i].Message, true);
                }
            }
        }

        return unstored;
    }

    /// <summary>The messages in the order they were sent, and whether each was stored with the saga.</summary>
    public IReadOnlyList<(OutboxMessage Message, bool Stored)> Messages
    {
        get
        {
            lock (messages)
            {
                return [.. messages];
            }
        }
    }
}

/// <summary>
/// The saga endpoint's outbox: nothing leaves while the saga handles a message; afterwards its messages go to the
/// broker in order. Those stored with the saga's state are handed to <see cref="OutboxCleaner"/> once sent, and left
/// for <see cref="OutboxDispatcher"/> when the broker cannot take them. A message whose handling stored nothing
/// (a reply to a request for a job that does not exist) is sent directly, and a failure fails the message.
/// </summary>
public sealed class SagaOutboxFilter(OutboxCleaner cleaner, IServiceProvider services, ILogger<SagaOutboxFilter> logger)
    : IFilter<ConsumeContext>
{
    static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var outbox = new SagaOutbox();
        await next.Send(new SagaOutboxConsumeContext(context, outbox, services));

        var messages = outbox.Messages;
        var allStored = messages.Count > 0 && messages.All(m => m.Stored || outbox.IsResponse(m.Message));
        foreach (var (message, stored) in messages)
        {
            try
            {
                await DeliverAsync(context, message, context.CancellationToken);
            }
            catch (Exception e) when (allStored && outbox.IsResponse(message))
            {
                // The requester times out and asks again; the state and the stored messages are saved.
                logger.LogWarning(e, "The broker did not take the response for job {JobId}; the requester will ask again", context.CorrelationId);
                continue;
            }
            catch (Exception e) when (allStored)
            {
                // Every message is in the table with the state that produced it: the dispatcher sends the rest later.
                logger.LogWarning(e, "The broker did not take the saga's messages for job {JobId}; they wait in the outbox", context.CorrelationId);
                return;
            }

            if (stored)
            {
                cleaner.Sent(message.SequenceNumber);
            }
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("saga-outbox");

    /// <summary>Sends a stored message again exactly as it was captured.</summary>
    public static async Task DeliverAsync(ISendEndpointProvider endpoints, OutboxMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DeliveryTimeout);
        var endpoint = await endpoints.GetSendEndpoint(message.DestinationAddress!);
        await endpoint.Send(new SerializedMessageBody(), new OutboxMessageSendPipe(message, message.DestinationAddress!), timeout.Token);
    }
}

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
        outbox.Add(OutboxMessage.From(context, CorrelationId), isResponse);
        return Task.CompletedTask;
    }

    public object? GetService(Type serviceType) => services.GetService(serviceType);
}
