using MassTransit;

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
