using System.Net.Http.Json;
using System.Text.Json;
using Workflow.Contracts.V1;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

/// <summary>
/// A job end to end on one <c>RabbitMq:QueueType</c>, and the queues the services declared for it: the durable ones
/// of that type, the temporary per-instance ones auto-delete classic queues either way.
/// </summary>
public abstract class QueueTypeScenario(WorkflowSystem system)
{
    const string Poison = "{ not a message either";

    protected WorkflowSystem Platform { get; } = system;

    /// <summary><c>classic</c> or <c>quorum</c>.</summary>
    protected abstract string QueueType { get; }

    /// <summary>The queues each stage's commands wait in.</summary>
    protected abstract IReadOnlyList<string> LevelQueuesOf(string stage);

    [Fact]
    public async Task A_job_completes_through_every_stage()
    {
        using var user = Platform.GatewayClient(WorkflowSystem.UserKey);

        var id = await Jobs.SubmitAsync(user, $"a {QueueType} poster", count: 2);
        var job = await Jobs.WaitUntilFinishedAsync(user, id, Platform);

        Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{Platform.Logs()}");
        Assert.Equal(2, job.GetProperty("result").GetProperty("images").GetArrayLength());
        var history = await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}/history");
        Assert.Equal(["Submitted", "Analyzing", "Enhancing", "Generating", "Finalizing", "Completed"],
            history.EnumerateArray().Select(h => h.GetProperty("state").GetString()).Distinct());
    }

    [Fact]
    public async Task Every_durable_queue_is_of_the_configured_type_and_the_temporary_ones_stay_classic()
    {
        // An error queue is declared when a message first faults on its endpoint: a poison message makes one.
        await Platform.VirtualHost.PublishRawAsync(QueueNames.AnalyzeCombinations, Poison, "application/vnd.masstransit+json");
        await Wait.UntilAsync(async () => (await Platform.VirtualHost.PeekAsync($"{QueueNames.AnalyzeCombinations}_error")).Contains(Poison),
            "the poison message is not in the error queue");

        var queues = await Platform.VirtualHost.QueuesAsync();

        var durable = queues.Where(q => q.Durable && !q.IsTemporary).ToList();
        var temporary = queues.Where(q => q.IsTemporary).ToList();
        Assert.All(durable, q => Assert.True(q.Type == QueueType, $"{q.Name} is a {q.Type} queue"));
        Assert.All(temporary, q => Assert.True(q.Type == "classic", $"{q.Name} is a {q.Type} queue"));
        // The Notifier's fan-out queue, every stage instance's move-on and pause queues, the request clients' responses.
        Assert.True(temporary.Count >= 4, string.Join(", ", temporary.Select(q => q.Name)));
        Assert.Contains(durable, q => q.Name == $"{QueueNames.AnalyzeCombinations}_error");
        var names = durable.Select(q => q.Name).ToHashSet();
        Assert.All(QueueNames.All.Where(q => !QueueNames.Stages.Contains(q)), q => Assert.Contains(q, names));
        foreach (var stage in QueueNames.Stages)
        {
            Assert.All(LevelQueuesOf(stage), q => Assert.Contains(q, names));
        }

        Assert.All(durable, q => Assert.Equal(QueueType == "classic" && QueueNames.All.Contains(OwnerOf(q.Name)) ? 3 : null, q.IntArgument("x-max-priority")));
    }

    /// <summary>A queue's own name, or for an error or skipped queue the queue it belongs to.</summary>
    static string OwnerOf(string queue) => queue.Split('_')[0];
}
