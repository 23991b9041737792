using MassTransit;

namespace Workflow.ServiceDefaults.Messaging;

/// <summary>
/// Stamps every outgoing message's CorrelationId header with its JobId, so that a job's messages are
/// grouped in traces and the management UI, and the saga endpoint can partition by job.
/// </summary>
public sealed class JobCorrelationFilter<T> : IFilter<SendContext<T>>, IFilter<PublishContext<T>>
    where T : class
{
    public Task Send(SendContext<T> context, IPipe<SendContext<T>> next)
    {
        Stamp(context);
        return next.Send(context);
    }

    public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
    {
        Stamp(context);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("jobCorrelation");

    static void Stamp(SendContext<T> context)
    {
        if (context.CorrelationId is null && JobIds<T>.Read is { } readJobId)
        {
            context.CorrelationId = readJobId(context.Message);
        }
    }
}
