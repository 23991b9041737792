using System.Collections.Concurrent;
using System.Text.Json;
using Workflow.Notifier.WebSockets;

namespace Workflow.Notifier.Tests;

/// <summary>Job states as the Gateway would answer them: only the owner (or an admin key) sees a job.</summary>
public sealed class FakeSnapshots : IJobSnapshotSource
{
    readonly ConcurrentDictionary<Guid, string> owners = new();

    public void Add(Guid jobId, string owner) => owners[jobId] = owner;

    /// <summary>Jobs whose state the Gateway cannot give right now.</summary>
    public ConcurrentDictionary<Guid, bool> Unavailable { get; } = new();

    /// <summary>The sequence of the last event a job's state includes, where a test sets one.</summary>
    public ConcurrentDictionary<Guid, int> Sequences { get; } = new();

    /// <summary>Jobs whose state is read slowly: set when the read began, and the read answers once the test releases it.</summary>
    public ConcurrentDictionary<Guid, (TaskCompletionSource Reading, TaskCompletionSource Release)> Slow { get; } = new();

    public async Task<JsonElement?> GetAsync(Guid jobId, string apiKey, CancellationToken cancellationToken)
    {
        if (Slow.TryGetValue(jobId, out var slow))
        {
            slow.Reading.TrySetResult();
            await slow.Release.Task.WaitAsync(cancellationToken);
        }

        if (Unavailable.ContainsKey(jobId))
        {
            throw new HttpRequestException("gateway down", null, System.Net.HttpStatusCode.ServiceUnavailable);
        }

        var user = apiKey switch { "dev-admin-key" => "admin", "dev-user-key" => "demo", _ => "?" };
        if (!owners.TryGetValue(jobId, out var owner) || (user != "admin" && user != owner))
        {
            return null;
        }

        var json = JsonSerializer.Serialize(new { id = jobId, status = "processing", owner, progress = new { percent = 40 }, sequence = Sequences.GetValueOrDefault(jobId) });
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
