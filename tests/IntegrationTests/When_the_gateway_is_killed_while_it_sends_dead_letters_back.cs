using System.Globalization;
using System.Text;
using RabbitMQ.Client;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;
using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

/// <summary>Dead letters sent back by a Gateway that is killed half-way: each one ends in the queue or still in its error queue.</summary>
[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_the_gateway_is_killed_while_it_sends_dead_letters_back(ReliabilitySystem system, ITestOutputHelper output)
{
    const int Count = 5000;

    [Fact]
    public async Task None_is_lost()
    {
        var queue = $"dead-letter-move-{Guid.NewGuid():N}";
        await using var connection = await system.VirtualHost.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync(queue + "_error", durable: true, exclusive: false, autoDelete: false);
        for (var i = 0; i < Count; i++)
        {
            var properties = new BasicProperties { MessageId = i.ToString(CultureInfo.InvariantCulture), Persistent = true };
            await channel.BasicPublishAsync("", queue + "_error", mandatory: false, properties, Encoding.UTF8.GetBytes($"dead letter {i}"));
        }

        await Wait.UntilAsync(async () => await channel.MessageCountAsync(queue + "_error") == Count, "the dead letters are not all in the error queue");
        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        // Five requests of the largest count at once: the move lasts long enough to be caught half-way.
        var moving = Enumerable.Range(0, 5).Select(_ => admin.PostAsync($"/api/admin/dead-letters/{queue}/requeue?count={Count / 5}", null)).ToList();
        await Wait.UntilAsync(async () => await channel.MessageCountAsync(queue) >= Count / 100, $"the move did not start\n{system.Logs()}", TimeSpan.FromSeconds(60));
        await system.Gateway.KillAsync();
        var movedAtKill = await channel.MessageCountAsync(queue);
        foreach (var request in moving)
        {
            try
            {
                (await request).Dispose();
            }
            catch (HttpRequestException)
            {
                // The Gateway died before it answered.
            }
        }

        await system.StartAnotherAsync("Gateway");

        // What the killed Gateway held unacknowledged the broker puts back into the error queue.
        await Wait.UntilAsync(async () => await channel.MessageCountAsync(queue) + await channel.MessageCountAsync(queue + "_error") >= Count,
            "dead letters are missing");
        var ids = new List<string>();
        foreach (var name in new[] { queue, queue + "_error" })
        {
            while (await channel.BasicGetAsync(name, autoAck: true) is { } message)
            {
                ids.Add(message.BasicProperties.MessageId!);
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Gateway killed with {movedAtKill} of {Count} dead letters moved: {ids.Distinct().Count()} distinct found, {ids.Count - ids.Distinct().Count()} twice"));
        Assert.True(movedAtKill < Count, "the move had ended before the kill");
        Assert.Equal(Count, ids.Distinct().Count());
    }
}
