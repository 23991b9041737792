using System.Collections.Concurrent;
using Workflow.CombinationAnalyzer.History;

namespace Workflow.CombinationAnalyzer.Tests;

/// <summary>The owner history in memory, with the same first-job-keeps-the-key rule as the table.</summary>
public sealed class InMemoryCombinationHistory : ICombinationHistory
{
    readonly ConcurrentDictionary<(string Owner, string Key), Guid> entries = new();

    public Task<IReadOnlySet<string>> LoadAsync(string owner, Guid exceptJobId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(entries.Where(e => e.Key.Owner == owner && e.Value != exceptJobId).Select(e => e.Key.Key).ToHashSet());

    public Task RecordAsync(string owner, Guid jobId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            entries.TryAdd((owner, key), jobId);
        }

        return Task.CompletedTask;
    }
}
