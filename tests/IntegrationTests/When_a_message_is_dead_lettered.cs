using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

[Collection(WorkflowSystemCollection.Name)]
public sealed class When_a_message_is_dead_lettered(WorkflowSystem system)
{
    const string Poison = "{ this is not a message";

    [Fact]
    public async Task An_admin_sees_it_in_its_error_queue_and_can_send_it_back()
    {
        await system.VirtualHost.PublishRawAsync("analyze-combinations", Poison, "application/vnd.masstransit+json");
        await Wait.UntilAsync(async () => (await system.VirtualHost.PeekAsync("analyze-combinations_error")).Contains(Poison), "the poison message is not in the error queue");
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        using var user = system.GatewayClient(WorkflowSystem.UserKey);

        var peeked = await admin.GetFromJsonAsync<JsonElement>("/api/admin/dead-letters/analyze-combinations");
        using var forbidden = await user.GetAsync("/api/admin/dead-letters");
        using var requeue = await admin.PostAsync("/api/admin/dead-letters/analyze-combinations/requeue", null);
        var moved = (await requeue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("moved").GetInt32();

        Assert.Contains(peeked.GetProperty("messages").EnumerateArray(), m => m.GetProperty("payload").GetString() == Poison);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.True(moved >= 1, $"moved {moved}");
        // Sent back, it is consumed again, fails again, and lands in the error queue once more: nothing is lost.
        await Wait.UntilAsync(async () => (await system.VirtualHost.PeekAsync("analyze-combinations_error")).Contains(Poison), "the poison message is not in the error queue");
        await Wait.UntilAsync(async () =>
        {
            var listing = await admin.GetFromJsonAsync<JsonElement>("/api/admin/dead-letters");
            return listing.GetProperty("queues").EnumerateArray().Any(q => q.GetProperty("queue").GetString() == "analyze-combinations");
        }, "the error queue is not listed");
    }

    [Fact]
    public async Task Commands_the_job_moved_on_from_are_listed_as_stale_and_discarding_takes_only_those()
    {
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var finished = await Jobs.SubmitAsync(user, "a finished poster");
        await Jobs.WaitUntilFinishedAsync(user, finished, system);
        using var paused = await admin.PostAsJsonAsync("/api/admin/pauses", new { service = "PromptEnhancer" });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        try
        {
            await Wait.UntilAsync(async () => await system.VirtualHost.ConsumersAsync("enhance-prompts") == 0, "the PromptEnhancer still consumes");
            // A job waiting in Enhancing, attempt 1: a dead letter of that attempt is current.
            var waiting = await Jobs.SubmitAsync(user, "a poster waiting for its prompts");
            await Wait.UntilAsync(async () => (await system.VirtualHost.PeekAsync("enhance-prompts")).Any(m => m.Contains(waiting.ToString(), StringComparison.Ordinal)),
                "the job's command did not wait in enhance-prompts");
            var queue = $"dead-letter-spec-{Guid.NewGuid():N}";
            await using var connection = await system.VirtualHost.ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeclareAsync(queue + "_error", durable: true, exclusive: false, autoDelete: false);
            var letters = new Dictionary<string, string>
            {
                ["current"] = EnhancePrompts(waiting, 1),
                ["another attempt"] = EnhancePrompts(waiting, 2),
                ["a finished job"] = EnhancePrompts(finished, 1),
                ["no such job"] = EnhancePrompts(Guid.NewGuid(), 1),
                ["not a message"] = Poison,
            };
            foreach (var letter in letters.Values)
            {
                await system.VirtualHost.PublishRawAsync(queue + "_error", letter, "application/vnd.masstransit+json");
            }

            var listed = (await admin.GetFromJsonAsync<JsonElement>($"/api/admin/dead-letters/{queue}")).GetProperty("messages").EnumerateArray().ToList();
            using var discard = await admin.PostAsync($"/api/admin/dead-letters/{queue}/discard", null);
            var discarded = await discard.Content.ReadFromJsonAsync<JsonElement>();
            var left = await system.VirtualHost.PeekAsync(queue + "_error");

            Assert.Equal(5, listed.Count);
            JsonElement Listed(Func<JsonElement, bool> match) => listed.Single(match);
            bool Is(JsonElement m, Guid job, int attempt) => m.GetProperty("jobId").GetString() == job.ToString() && m.GetProperty("attempt").GetInt32() == attempt;
            Assert.False(Listed(m => Is(m, waiting, 1)).GetProperty("stale").GetBoolean());
            Assert.Contains("attempt 1", Listed(m => Is(m, waiting, 2)).GetProperty("staleReason").GetString(), StringComparison.Ordinal);
            Assert.Contains("Completed", Listed(m => Is(m, finished, 1)).GetProperty("staleReason").GetString(), StringComparison.Ordinal);
            Assert.Equal(3, listed.Count(m => m.GetProperty("stale").ValueKind == JsonValueKind.True));
            Assert.Equal(JsonValueKind.Null, Listed(m => m.GetProperty("payload").GetString() == Poison).GetProperty("stale").ValueKind);
            Assert.Equal(HttpStatusCode.OK, discard.StatusCode);
            Assert.Equal(3, discarded.GetProperty("discarded").GetInt32());
            Assert.Equal(2, discarded.GetProperty("kept").GetInt32());
            Assert.Equal([letters["current"], Poison], left);
        }
        finally
        {
            await admin.PostAsJsonAsync("/api/admin/pauses/resume", new { service = "PromptEnhancer" });
        }
    }

    [Fact]
    public async Task One_whose_queue_no_longer_exists_is_a_409_and_stays_in_its_error_queue()
    {
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        var queue = $"dead-letter-gone-{Guid.NewGuid():N}";
        await using var connection = await system.VirtualHost.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue + "_error", durable: true, exclusive: false, autoDelete: false);
        await system.VirtualHost.PublishRawAsync(queue + "_error", Poison, "application/vnd.masstransit+json");

        using var requeue = await admin.PostAsync($"/api/admin/dead-letters/{queue}/requeue", null);

        Assert.Equal(HttpStatusCode.Conflict, requeue.StatusCode);
        Assert.Equal([Poison], await system.VirtualHost.PeekAsync(queue + "_error"));
    }

    [Fact]
    public async Task Groups_export_and_selections_retry_or_discard_only_what_was_picked()
    {
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        var queue = $"dead-letter-groups-{Guid.NewGuid():N}";
        const string Type = "Workflow.Contracts.V1:EnhancePrompts";
        var timeouts = new[]
        {
            await system.VirtualHost.DeadLetterAsync(queue, Type, new { jobId = Guid.NewGuid(), attempt = 1 }, "System.TimeoutException", "the model did not answer"),
            await system.VirtualHost.DeadLetterAsync(queue, Type, new { jobId = Guid.NewGuid(), attempt = 1 }, "System.TimeoutException", "the model did not answer"),
        };
        var refused = await system.VirtualHost.DeadLetterAsync(queue, Type, new { jobId = Guid.NewGuid(), attempt = 1 }, "System.InvalidOperationException", "refused");

        var groups = (await admin.GetFromJsonAsync<JsonElement>($"/api/admin/dead-letters/{queue}/groups")).GetProperty("groups").EnumerateArray().ToList();
        using var export = await admin.GetAsync($"/api/admin/dead-letters/{queue}/export");
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var afterExport = await system.VirtualHost.PeekAsync(queue + "_error");
        var discarded = await FinishedAsync(admin, queue, new { action = "discard", keys = new[] { refused } });
        var retried = await FinishedAsync(admin, queue, new { action = "retry", messageType = "urn:message:" + Type, exceptionType = "System.TimeoutException", ratePerSecond = 50 });

        Assert.Equal([2, 1], groups.Select(g => g.GetProperty("count").GetInt32()));
        Assert.Equal("System.TimeoutException", groups[0].GetProperty("exceptionType").GetString());
        Assert.Equal(timeouts.Order(), groups[0].GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).Order());
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, lines.Count);
        Assert.Equal([.. timeouts, refused], lines.Select(l => l.GetProperty("key").GetString()));
        Assert.All(lines, l => Assert.StartsWith(l.GetProperty("exceptionType").GetString(), l.GetProperty("headers").GetProperty("MT-Fault-StackTrace").GetString(), StringComparison.Ordinal));
        Assert.Equal(3, afterExport.Count);
        Assert.Equal(("completed", 3L, 1L), Summary(discarded));
        Assert.Equal(("completed", 2L, 2L), Summary(retried));
        Assert.Empty(await system.VirtualHost.PeekAsync(queue + "_error"));
        Assert.Equal(timeouts.Order(), (await system.VirtualHost.PeekAsync(queue)).Select(b => JsonDocument.Parse(b).RootElement.GetProperty("messageId").GetString()!).Order());
    }

    static (string?, long, long) Summary(JsonElement operation) =>
        (operation.GetProperty("status").GetString(), operation.GetProperty("scanned").GetInt64(), operation.GetProperty("done").GetInt64());

    static async Task<JsonElement> FinishedAsync(HttpClient admin, string queue, object request)
    {
        using var started = await admin.PostAsJsonAsync($"/api/admin/dead-letters/{queue}/operations", request);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        JsonElement operation = default;
        await Wait.UntilAsync(async () =>
        {
            operation = await admin.GetFromJsonAsync<JsonElement>(started.Headers.Location);
            return operation.GetProperty("status").GetString() != "running";
        }, "the dead-letter operation finishes");
        return operation;
    }

    static string EnhancePrompts(Guid jobId, int attempt) => JsonSerializer.Serialize(new
    {
        messageId = Guid.NewGuid(),
        messageType = new[] { "urn:message:Workflow.Contracts.V1:EnhancePrompts" },
        message = new { jobId, attempt, basePrompt = "a poster", combinations = Array.Empty<object>() },
    });
}
