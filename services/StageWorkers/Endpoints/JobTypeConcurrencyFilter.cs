using System.Collections.Concurrent;
using MassTransit;
using Workflow.Contracts.V1;
using Workflow.StageWorkers.Consumption;

namespace Workflow.StageWorkers.Endpoints;

/// <summary>
/// Holds a command while its job type is paused on this queue, then lets no more commands of a job type run at
/// once in this instance than <see cref="ConcurrencyOptions.JobTypes"/> allows; a command over the limit waits for
/// one of its type to finish. Types without a limit pass straight on.
/// </summary>
public sealed class JobTypeConcurrencyFilter(string queue, ConcurrencyOptions options, ConsumptionControl? control) : IFilter<ConsumeContext>
{
    readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.OrdinalIgnoreCase);

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var jobType = context.Headers.Get<string>(JobHeaders.JobType);
        if (control is not null)
        {
            await control.WaitWhilePausedAsync(queue, jobType, context.CancellationToken);
        }

        if (jobType is null || !options.JobTypes.TryGetValue(jobType, out var limit))
        {
            await next.Send(context);
            return;
        }

        var gate = gates.GetOrAdd(jobType, _ => new SemaphoreSlim(limit, limit));
        await gate.WaitAsync(context.CancellationToken);
        try
        {
            await next.Send(context);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("job-type-concurrency");
}
