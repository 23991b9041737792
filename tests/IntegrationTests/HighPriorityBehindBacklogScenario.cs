using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;
using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

/// <summary>
/// Thirty low jobs make a backlog at the ImageGenerator (five renders at a time, 1.5 s each), then a high job arrives:
/// only the renders already running may go before it, on classic priority queues and on quorum level queues alike.
/// </summary>
public abstract class HighPriorityBehindBacklogScenario(ReliabilitySystem system, ITestOutputHelper output)
{
    [Fact]
    public async Task It_overtakes_the_low_priority_jobs_waiting_for_the_image_generator()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var marker = $"slow priority {Guid.NewGuid():N}";
        var low = (await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Jobs.SubmitAsync(user, $"{marker} low {i}", priority: "low")))).ToList();
        await Wait.UntilAsync(() => system.ImageApi.For(marker).Count >= 5,
            $"the low jobs did not reach the image generator\n{system.Logs()}", TimeSpan.FromSeconds(60));

        var high = await Jobs.SubmitAsync(user, $"{marker} high", priority: "high");
        var job = await Jobs.WaitUntilFinishedAsync(user, high, system);
        Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{system.Logs()}");

        var order = system.ImageApi.For(marker).Select(r => r.Prompt.Split(',')[0]).ToList();
        var position = order.IndexOf($"{marker} high");
        output.WriteLine($"the high job was rendered {position + 1}th of {order.Count} so far");
        // Without priorities it would be 31st; only renders already running (five at a time) may go first.
        Assert.InRange(position, 0, 14);
        foreach (var id in low)
        {
            await Jobs.WaitUntilFinishedAsync(user, id, system);
        }
    }
}
