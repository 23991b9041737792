using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// Puts the message's <c>JobId</c> into the logging scope and onto the current trace, so that every
/// log line and span written while a job's message is consumed carries the job id.
/// </summary>
public sealed class JobLogScopeFilter<T>(ILogger<JobLogScopeFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (JobIds<T>.Read is not { } readJobId)
        {
            await next.Send(context);
            return;
        }

        var jobId = readJobId(context.Message);
        Activity.Current?.SetTag(WorkflowTelemetry.JobIdTag, jobId);
        using (logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId }))
        {
            await next.Send(context);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("jobLogScope");
}
