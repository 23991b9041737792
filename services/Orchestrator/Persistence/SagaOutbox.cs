using MassTransit;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// What the saga sends while it handles one message. The repository stores it with the saga's new state, in one
/// transaction (<see cref="TakeUnstored()"/>), so a state that was saved never loses the commands it decided on: if the
/// broker is gone when they are delivered, they wait in the table for <see cref="OutboxDispatcher"/>.
/// Two kinds of message also leave only after the commit but are not durable, never stored:
/// a response to a request, which matters only while its requester waits (one that times out asks again: the Gateway's
/// submission answers 503 and the retried submission, idempotent, is answered by the saga that exists); and a status
/// event, whose only consumers are the Notifiers' own temporary queues, for the WebSocket clients. A status event lost
/// to a crash between the commit and the send is a gap such as a Notifier restart makes: the job's next event and its
/// state on every (re)subscription carry everything it said, and the final events, stored, always arrive.
/// </summary>
public sealed class SagaOutbox
{
    readonly List<(OutboxMessage Message, bool Durable, bool Stored)> messages = [];

    public void Add(OutboxMessage message, bool durable)
    {
        lock (messages)
        {
            messages.Add((message, durable, false));
        }
    }

    /// <summary>
    /// The durable messages not stored yet, now counted as stored: the caller writes them in the transaction that saves
    /// the saga (<see cref="JobSagaRepository"/>), and a failed save fails the whole message, outbox and all.
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
                if (messages[i] is { Durable: true, Stored: false } pending)
                {
                    unstored.Add(pending.Message);
                    messages[i] = pending with { Stored = true };
                }
            }
        }

        return unstored;
    }

    /// <summary>The messages in the order they were sent, whether each is durable, and whether it was stored with the saga.</summary>
    public IReadOnlyList<(OutboxMessage Message, bool Durable, bool Stored)> Messages
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
