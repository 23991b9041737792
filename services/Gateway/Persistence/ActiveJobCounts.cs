using System.Collections.Concurrent;
using System.Diagnostics;
using Workflow.Contracts.V1;

namespace Workflow.Gateway.Persistence;

/// <summary>
/// Each owner's number of unfinished jobs, for the active-job quota: read from the saga table at most once per
/// <see cref="RefreshAfter"/> per owner, and counted up by the submissions this instance accepted in between. The
/// quota bounds the load rather than keeping an exact count, and a query per submission cost every job a database
/// round trip and a transaction.
/// </summary>
public sealed class ActiveJobCounts(IJobReader reader)
{
    static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(1);
    readonly ConcurrentDictionary<string, Count> counts = new(StringComparer.Ordinal);

    /// <summary>How many jobs of <paramref name="owner"/> are pending or running, as of at most a second ago.</summary>
    public async Task<int> CurrentAsync(string owner, CancellationToken cancellationToken)
    {
        if (counts.TryGetValue(owner, out var known) && Stopwatch.GetElapsedTime(known.ReadAt) < RefreshAfter)
        {
            return Volatile.Read(ref known.Value);
        }

        var count = new Count(await reader.CountAsync(owner, JobStates.Active, cancellationToken), Stopwatch.GetTimestamp());
        counts[owner] = count;
        return count.Value;
    }

    /// <summary>A job of <paramref name="owner"/> was accepted: it counts until the next read.</summary>
    public void Accepted(string owner)
    {
        if (counts.TryGetValue(owner, out var known))
        {
            Interlocked.Increment(ref known.Value);
        }
    }

    sealed class Count(int value, long readAt)
    {
        public int Value = value;

        public long ReadAt { get; } = readAt;
    }
}
