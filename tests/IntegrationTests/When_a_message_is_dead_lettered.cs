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

    static string EnhancePrompts(Guid jobId, int attempt) => JsonSerializer.Serialize(new
    {
        messageId = Guid.NewGuid(),
        messageType = new[] { "urn:message:Workflow.Contracts.V1:EnhancePrompts" },
        message = new { jobId, attempt, basePrompt = "a poster", combinations = Array.Empty<object>() },
    });
}
