using System.Diagnostics;
using System.Linq.Expressions;
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
    // Compiled once per message type; null when the message has no JobId.
    static readonly Func<T, Guid>? ReadJobId = CompileJobIdReader();

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (ReadJobId is null)
        {
            await next.Send(context);
            return;
        }

        var jobId = ReadJobId(context.Message);
        Activity.Current?.SetTag(WorkflowTelemetry.JobIdTag, jobId);
        using (logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId }))
        {
            await next.Send(context);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("jobLogScope");

    static Func<T, Guid>? CompileJobIdReader()
    {
        var property = typeof(T).GetProperty("JobId");
        if (property is null || property.PropertyType != typeof(Guid))
        {
            return null;
        }

        var message = Expression.Parameter(typeof(T));
        return Expression.Lambda<Func<T, Guid>>(Expression.Property(message, property), message).Compile();
    }
}
