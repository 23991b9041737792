using System.Collections.Concurrent;

namespace Workflow.ImageGenerator.Consumers;

/// <summary>
/// The jobs this instance is rendering, so that a cancellation stops them through their CancellationToken;
/// jobs cancelled recently are remembered, so a command that arrives after its job was cancelled does nothing.
/// </summary>
public sealed class RunningJobs
{
    const int RememberedCancellations = 10_000;

    readonly ConcurrentDictionary<Guid, CancellationTokenSource> running = new();
    readonly ConcurrentDictionary<Guid, DateTime> cancelled = new();

    /// <summary>A token that fires when the job is cancelled; dispose it when done.</summary>
    public CancellationTokenSource Start(Guid jobId)
    {
        var source = new CancellationTokenSource();
        running[jobId] = source;
        if (IsCancelled(jobId))
        {
            source.Cancel();
        }

        return source;
    }

    public void Finish(Guid jobId, CancellationTokenSource source)
    {
        running.TryRemove(new KeyValuePair<Guid, CancellationTokenSource>(jobId, source));
        source.Dispose();
    }

    public void Cancel(Guid jobId)
    {
        cancelled[jobId] = DateTime.UtcNow;
        if (running.TryGetValue(jobId, out var source))
        {
            source.Cancel();
        }

        if (cancelled.Count > RememberedCancellations)
        {
            foreach (var old in cancelled.OrderBy(c => c.Value).Take(cancelled.Count - RememberedCancellations))
            {
                cancelled.TryRemove(old.Key, out _);
            }
        }
    }

    public bool IsCancelled(Guid jobId) => cancelled.ContainsKey(jobId);
}
