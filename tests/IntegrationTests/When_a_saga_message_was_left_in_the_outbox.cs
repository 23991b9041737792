using MassTransit;
using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

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

    [Fact]
    public async Task A_saga_sends_its_messages_itself_once_its_state_is_saved_and_leaves_none_behind()
    {
        // The dispatcher would wait an hour: whatever arrives was sent by the saga that stored it.
        using var orchestrator = await OrchestratorInstance.StartAsync(Database, VirtualHost, new Dictionary<string, string?> { ["Orchestrator:OutboxDispatchAfterSeconds"] = "3600" });
        var job = new SubmitJob(Guid.NewGuid(), JobTypes.ImageGeneration, "high", "demo",
            new JobInput("a poster", new Dictionary<string, IReadOnlyList<string>> { ["style"] = ["ink", "oil"] }, 2, 64, 64),
            MaxRetries: 1, TimeoutSeconds: 600, CallbackUrl: null, DateTime.UtcNow);

        var accepted = await Bus.CreateRequestClient<SubmitJob>(RequestTimeout.After(s: 30)).GetResponse<JobAccepted>(job);

        Assert.Equal(job.JobId, accepted.Message.JobId);
        await Wait.UntilAsync(async () => (await VirtualHost.PeekAsync(QueueNames.AnalyzeCombinations)).Any(m => m.Contains(job.JobId.ToString(), StringComparison.Ordinal)),
            "the saga's command did not reach analyze-combinations");
        await Wait.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM workflow.outbox_messages WHERE job_id = @job", ("job", job.JobId)) == 0,
            "the saga's sent messages are still in the outbox");
        // Stored with the state: the first command only. The response and the status event left after the commit
        // without a row (one transaction's counts reach the statistics together, so the count cannot be caught half-way).
        const string inserted = "SELECT coalesce(sum(n_tup_ins), 0)::bigint FROM pg_stat_user_tables WHERE schemaname = 'workflow' AND relname = 'outbox_messages'";
        await Wait.UntilAsync(async () => await Database.ScalarAsync<long>(inserted) >= 1, "the saga's stored messages do not show in the statistics");
        Assert.Equal(1, await Database.ScalarAsync<long>(inserted));
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
