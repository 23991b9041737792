using System.Diagnostics;
using System.Net;
using Workflow.ServiceDefaults.Metrics;

namespace Workflow.StageWorkers.Providers;

/// <summary>
/// Counts and times each attempt of a provider call, inside the retries (so a call retried twice counts three), with
/// the status it got (<c>0</c> when none came) and the 429s apart.
/// </summary>
public sealed class ProviderMetricsHandler(string provider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var status = 0;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
            return response;
        }
        finally
        {
            var name = new KeyValuePair<string, object?>(WorkflowMetrics.Provider, provider);
            WorkflowMetrics.ProviderCalls.Add(1, name, new(WorkflowMetrics.StatusCode, status));
            WorkflowMetrics.ProviderCallDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, name);
            if (status == (int)HttpStatusCode.TooManyRequests)
            {
                WorkflowMetrics.ProviderThrottled.Add(1, name);
            }
        }
    }
}
