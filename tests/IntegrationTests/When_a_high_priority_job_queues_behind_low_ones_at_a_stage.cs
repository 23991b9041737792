using System.Net;
using System.Net.Http.Json;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

/// <summary>
/// A stage's queue, held by pausing its service, with low jobs' commands in it and a high job's behind them:
/// RabbitMQ hands out the high one first (the management API's get takes messages in delivery order).
/// </summary>
[Collection(WorkflowSystemCollection.Name)]
public sealed class When_a_high_priority_job_queues_behind_low_ones_at_a_stage(WorkflowSystem system)
{
    const int LowJobs = 5;

    [Theory]
    [InlineData("CombinationAnalyzer", "analyze-combinations")]
    [InlineData("PromptEnhancer", "enhance-prompts")]
    [InlineData("ImageGenerator", "generate-images")]
    public async Task Its_command_is_delivered_before_theirs(string service, string queue)
    {
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        using var paused = await admin.PostAsJsonAsync("/api/admin/pauses", new { service });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        var ids = new List<Guid>();
        try
        {
            await Wait.UntilAsync(async () => await system.VirtualHost.ConsumersAsync(queue) == 0, $"{service} still consumes {queue}");
            for (var i = 0; i < LowJobs; i++)
            {
                ids.Add(await Jobs.SubmitAsync(user, $"a low poster {i}", priority: "low"));
            }

            await Wait.UntilAsync(async () => await WaitingIn(queue, ids) == LowJobs, $"the low jobs' commands did not all wait in {queue}");
            var high = await Jobs.SubmitAsync(user, "a high poster", priority: "high");
            ids.Add(high);
            await Wait.UntilAsync(async () => await WaitingIn(queue, ids) == LowJobs + 1, $"the high job's command did not wait in {queue}");

            var first = (await system.VirtualHost.PeekAsync(queue)).First(m => ids.Any(id => m.Contains(id.ToString(), StringComparison.Ordinal)));
            Assert.Contains(high.ToString(), first, StringComparison.Ordinal);
        }
        finally
        {
            await admin.PostAsJsonAsync("/api/admin/pauses/resume", new { service });
        }

        foreach (var id in ids)
        {
            var job = await Jobs.WaitUntilFinishedAsync(user, id, system);
            Assert.Equal("completed", job.GetProperty("status").GetString());
        }
    }

    async Task<int> WaitingIn(string queue, IReadOnlyList<Guid> ids)
    {
        var messages = await system.VirtualHost.PeekAsync(queue);
        return ids.Count(id => messages.Any(m => m.Contains(id.ToString(), StringComparison.Ordinal)));
    }
}
