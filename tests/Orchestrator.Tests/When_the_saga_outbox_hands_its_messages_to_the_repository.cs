using Workflow.Orchestrator.Persistence;

namespace Workflow.Orchestrator.Tests;

public sealed class When_the_saga_outbox_hands_its_messages_to_the_repository
{
    [Fact]
    public void Commands_and_events_are_stored_once_and_a_response_never()
    {
        var outbox = new SagaOutbox();
        var response = new OutboxMessage { MessageId = Guid.NewGuid(), MessageType = "urn:message:JobAccepted" };
        var command = new OutboxMessage { MessageId = Guid.NewGuid(), MessageType = "urn:message:AnalyzeCombinations" };
        var status = new OutboxMessage { MessageId = Guid.NewGuid(), MessageType = "urn:message:JobStatusChanged" };
        outbox.Add(response, isResponse: true);
        outbox.Add(command, isResponse: false);
        outbox.Add(status, isResponse: false);

        var stored = outbox.TakeUnstored();
        var storedAgain = outbox.TakeUnstored();

        Assert.Equal([command, status], stored);
        Assert.Empty(storedAgain);
        Assert.True(outbox.IsResponse(response));
        Assert.False(outbox.IsResponse(command));
        // Every message still leaves, in the order the saga sent them.
        Assert.Equal([response, command, status], outbox.Messages.Select(m => m.Message));
    }
}
