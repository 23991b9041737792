using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;

namespace Workflow.IntegrationTests;

/// <summary>
/// A saga message stored with its saga's state that never reached the broker (RabbitMQ was down, or the Orchestrator
/// stopped between saving and sending): the outbox dispatcher sends it once it is due, and removes it.
/// </summary>
public sealed class When_a_saga_message_was_left_in_the_outbox : BrokerAndDatabaseSpec
{
    static readonly Dictionary<string, string?> QuickDispatch = new() { ["Orchestrator:OutboxDispatchAfterSeconds"] = "1" };

    [Fact]
    public async Task The_dispatcher_sends_it_as_it_was_stored_and_deletes_it()
    {
        using var orchestrator = await OrchestratorInstance.StartAsync(Database, VirtualHost, QuickDispatch);
        var jobId = Guid.NewGuid();
        var envelope = await EnvelopeOf(new AnalyzeCombinations(jobId, 1, "demo", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink"] }, 1, null));

        await Database.ScalarAsync<int>(
            """
            INSERT INTO workflow.outbox_messages
                (job_id, created_at, message_id, destination_address, sent_time, content_type, message_type, body, headers_json)
            VALUES (@job, now() - interval '1 minute', @message, @destination, now() - interval '1 minute',
                    'application/vnd.masstransit+json', 'urn:message:Workflow.Contracts.V1:AnalyzeCombinations', @body, '{"Workflow-Job-Type":"image-generation"}')
            RETURNING 1
            """,
            ("job", jobId), ("message", Guid.NewGuid()), ("destination", $"exchange:{QueueNames.AnalyzeCombinations}"), ("body", envelope));

        await Wait.UntilAsync(async () => (await VirtualHost.PeekAsync(QueueNames.AnalyzeCombinations)).Any(m => m.Contains(jobId.ToString(), StringComparison.Ordinal)),
            "the stored command did not reach analyze-combinations");
        await Wait.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM workflow.outbox_messages WHERE job_id = @job", ("job", jobId)) == 0,
            "the sent message is still in the outbox");
        await orchestrator.StopAsync();
    }

    /// <summary>A message as MassTransit serializes it, read back from a scratch queue.</summary>
    async Task<string> EnvelopeOf<T>(T message)
        where T : class
    {
        const string scratch = "outbox-envelope";
        var endpoint = await Bus.GetSendEndpoint(new Uri($"queue:{scratch}"));
        await endpoint.Send(message);
        string? body = null;
        await Wait.UntilAsync(async () => (body = (await VirtualHost.PeekAsync(scratch)).FirstOrDefault()) is not null, "the envelope did not arrive");
        return body!;
    }
}
