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
}
