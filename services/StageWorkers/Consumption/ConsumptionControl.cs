using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.StageWorkers.Consumption;

/// <summary>
/// This instance's view of the paused stage queues. A queue paused as a whole has its receive endpoint stopped
/// (no consumer on the queue, its messages stay there); a paused job type's commands wait in the stage's filter
/// until it is resumed. Either way nothing is lost.
/// </summary>
public sealed class ConsumptionControl(ILogger<ConsumptionControl> logger)
{
    readonly ConcurrentDictionary<string, IReceiveEndpoint> endpoints = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> stopped = new(StringComparer.OrdinalIgnoreCase);
    readonly SemaphoreSlim applying = new(1, 1);
    ConsumptionState state = new([], 0);
    TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConsumptionState State => state;

    /// <summary>Waits while commands of <paramref name="jobType"/> on <paramref name="queue"/> are paused.</summary>
    public async Task WaitWhilePausedAsync(string queue, string? jobType, CancellationToken cancellationToken)
    {
        while (IsPaused(queue, jobType))
        {
            await changed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Whether commands of <paramref name="jobType"/> on <paramref name="queue"/> are paused now.</summary>
    public bool IsPaused(string queue, string? jobType) =>
        state.Pauses.Any(p => string.Equals(p.Queue, queue, StringComparison.OrdinalIgnoreCase)
                              && (p.JobType is null || string.Equals(p.JobType, jobType, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Applies a newer set of pauses: stops or starts this instance's endpoints, wakes waiting commands.</summary>
    public async Task ApplyAsync(ConsumptionState newer)
    {
        await applying.WaitAsync();
        try
        {
            if (newer.Version < state.Version)
            {
                return;
            }

            state = newer;
            Interlocked.Exchange(ref changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            foreach (var (queue, endpoint) in endpoints)
            {
                await ReconcileAsync(queue, endpoint);
            }
        }
        finally
        {
            applying.Release();
        }
    }

    /// <summary>A stage endpoint is up: remember it, and stop it at once if its queue is paused.</summary>
    public async Task EndpointReadyAsync(string queue, IReceiveEndpoint endpoint)
    {
        await applying.WaitAsync();
        try
        {
            endpoints[queue] = endpoint;
            await ReconcileAsync(queue, endpoint);
        }
        finally
        {
            applying.Release();
        }
    }

    /// <summary><paramref name="queue"/> is a stage queue, or one of its priority levels (quorum queues), which pause with it.</summary>
    async Task ReconcileAsync(string queue, IReceiveEndpoint endpoint)
    {
        var stage = PriorityQueues.StageOf(queue);
        var paused = state.Pauses.Any(p => p.JobType is null && string.Equals(p.Queue, stage, StringComparison.OrdinalIgnoreCase));
        if (paused && stopped.Add(queue))
        {
            logger.LogWarning("Consumption of {Queue} paused: stopping its consumer; messages wait in the queue", queue);
            await endpoint.Stop();
        }
        else if (!paused && stopped.Remove(queue))
        {
            logger.LogInformation("Consumption of {Queue} resumed", queue);
            endpoint.Start();
        }
    }
}
