
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

        await using var slot = options.MaxConcurrentCalls > 0 ? await limits.AcquireSlotAsync(provider, options.MaxConcurrentCalls, cancellationToken) : null;
        await limits.TakeTokenAsync(provider, options.RequestsPerMinute, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
