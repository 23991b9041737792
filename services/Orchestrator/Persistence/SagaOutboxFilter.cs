using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Workflow.Orchestrator.Persistence;

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
        var allStored = messages.Count > 0 && messages.All(m => m.Stored || !m.Durable);
        foreach (var (message, durable, stored) in messages)
        {
            try
            {
                await DeliverAsync(context, message, context.CancellationToken);
            }
            catch (Exception e) when (allStored && !durable)
            {
                // A response (its requester asks again) or a status event (the job's next event and its state supersede
                // it); the state and the stored messages are saved.
                logger.LogWarning(e, "The broker did not take the saga's {MessageType} for job {JobId}; it is not sent again",
                    message.MessageType, context.CorrelationId);
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
