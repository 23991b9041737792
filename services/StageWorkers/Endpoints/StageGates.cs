using System.Collections.Concurrent;

namespace Workflow.StageWorkers.Endpoints;

/// <summary>
/// The filters a stage's endpoints share: under quorum queues a stage has an endpoint per priority level, and its
/// per-job-type limits, pauses and work slots hold across them as they do for a classic stage's one endpoint.
/// </summary>
public sealed class StageGates
{
    readonly ConcurrentDictionary<string, JobTypeConcurrencyFilter> limits = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, PriorityGate> priorities = new(StringComparer.Ordinal);

    /// <summary>The stage's job-type filter, made by <paramref name="create"/> for its first endpoint.</summary>
    public JobTypeConcurrencyFilter JobTypeLimits(string stageQueue, Func<JobTypeConcurrencyFilter> create) =>
        limits.GetOrAdd(stageQueue, _ => create());

    /// <summary>The stage's work slots across its level queues.</summary>
    public PriorityGate Priority(string stageQueue, int slots) => priorities.GetOrAdd(stageQueue, _ => new PriorityGate(slots));
}
