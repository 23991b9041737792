using System.Diagnostics;
using Workflow.ServiceDefaults.Metrics;

namespace Workflow.StageWorkers.Providers;

/// <summary>
/// Holds a shared call slot (when <see cref="ProviderOptions.MaxConcurrentCalls"/> is set) and takes a shared rate
/// token for every provider call; outside the retries, so that a call waiting its turn is not timed out. Without
/// shared limits (no database) it passes calls through and the pipeline's per-instance rate limiter applies.
/// </summary>
public sealed class ProviderGateHandler(SharedProviderLimits? limits, string provider, ProviderOptions options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (limits is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var waiting = Stopwatch.GetTimestamp();
        await using var slot = options.MaxConcurrentCalls > 0 ? await limits.AcquireSlotAsync(provider, options.MaxConcurrentCalls, cancellationToken) : null;
        if (slot is not null)
        {
            Waited(waiting, "slot");
            waiting = Stopwatch.GetTimestamp();
        }

        await limits.TakeTokenAsync(provider, options.RequestsPerMinute, cancellationToken);
        Waited(waiting, "rate");
        return await base.SendAsync(request, cancellationToken);
    }

    void Waited(long since, string limit) =>
        WorkflowMetrics.ProviderLimitWait.Record(Stopwatch.GetElapsedTime(since).TotalSeconds,
            new(WorkflowMetrics.Provider, provider), new(WorkflowMetrics.ProviderLimit, limit));
}
