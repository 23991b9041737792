using Workflow.Orchestrator.Persistence;

namespace Workflow.Orchestrator.Tests;

public sealed class When_the_saga_outbox_hands_its_messages_to_the_repository
{
    [Fact]
    public void Durable_messages_are_stored_once_and_the_others_never_but_all_leave_in_order()
    {
        var outbox = new SagaOutbox();
        var response = new OutboxMessage { MessageId = Guid.NewGuid(), MessageType = "urn:message:JobAccepted" };
        var command = new OutboxMessage { MessageId = Guid.NewGuid(), MessageType = "urn:message:AnalyzeCombinations" };
        var status = new OutboxMessage { MessageId = Guid.NewGuid(), MessageType = "urn:message:JobStatusChanged" };
        var completed = new OutboxMessage { MessageId = Guid.NewGuid(), MessageType = "urn:message:JobCompleted" };
        outbox.Add(response, durable: false);
        outbox.Add(command, durable: true);
        outbox.Add(status, durable: false);
        outbox.Add(completed, durable: true);

        var stored = outbox.TakeUnstored();
        var storedAgain = outbox.TakeUnstored();

        Assert.Equal([command, completed], stored);
        Assert.Empty(storedAgain);
        Assert.Equal([false, true, false, true], outbox.Messages.Select(m => m.Durable));
        Assert.Equal([response, command, status, completed], outbox.Messages.Select(m => m.Message));
        Assert.Equal([false, true, false, true], outbox.Messages.Select(m => m.Stored));
    }
}
