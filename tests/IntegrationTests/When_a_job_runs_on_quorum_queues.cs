using System.Net;
using System.Net.Http.Json;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Messaging;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

/// <summary>A cluster's queues: quorum queues, and a queue per priority level for each stage.</summary>
[Collection(QuorumSystemCollection.Name)]
public sealed class When_a_job_runs_on_quorum_queues(QuorumSystem system) : QueueTypeScenario(system)
{
    protected override string QueueType => "quorum";

    protected override IReadOnlyList<string> LevelQueuesOf(string stage) => [.. PriorityQueues.Levels.Select(l => PriorityQueues.QueueOf(stage, l))];

    [Fact]
    public async Task Each_jobs_command_waits_in_the_queue_of_its_priority_and_runs_when_resumed()
    {
        using var admin = Platform.GatewayClient(QuorumSystem.AdminKey);
        using var user = Platform.GatewayClient(QuorumSystem.UserKey);
        var jobs = new Dictionary<string, Guid>();
        try
        {
            // Inside the try: a pause that answers late still takes effect, and must be resumed for the other specs.
            using var paused = await admin.PostAsJsonAsync("/api/admin/pauses", new { service = "CombinationAnalyzer" });
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
            // Pausing stops the stage's endpoint of every level.
            foreach (var level in PriorityQueues.Levels)
            {
                var queue = PriorityQueues.QueueOf(QueueNames.AnalyzeCombinations, level);
                await Wait.UntilAsync(async () => await Platform.VirtualHost.ConsumersAsync(queue) == 0, $"the CombinationAnalyzer still consumes {queue}");
            }

            foreach (var level in PriorityQueues.Levels)
            {
                jobs[level] = await Jobs.SubmitAsync(user, $"a {level} quorum poster", priority: level);
            }

            foreach (var (level, id) in jobs)
            {
                var queue = PriorityQueues.QueueOf(QueueNames.AnalyzeCombinations, level);
                await Wait.UntilAsync(async () => (await Platform.VirtualHost.PeekAsync(queue)).Any(m => m.Contains(id.ToString(), StringComparison.Ordinal)),
                    $"the {level} job's command is not in {queue}");
                foreach (var other in PriorityQueues.Levels.Where(l => l != level))
                {
                    Assert.DoesNotContain(await Platform.VirtualHost.PeekAsync(PriorityQueues.QueueOf(QueueNames.AnalyzeCombinations, other)),
                        m => m.Contains(id.ToString(), StringComparison.Ordinal));
                }
            }
        }
        finally
        {
            await Wait.UntilAsync(async () =>
            {
                using var resumed = await admin.PostAsJsonAsync("/api/admin/pauses/resume", new { service = "CombinationAnalyzer" });
                return resumed.IsSuccessStatusCode;
            }, "the CombinationAnalyzer could not be resumed");
        }

        foreach (var id in jobs.Values)
        {
            var job = await Jobs.WaitUntilFinishedAsync(user, id, Platform);
            Assert.Equal("completed", job.GetProperty("status").GetString());
        }
    }
}
