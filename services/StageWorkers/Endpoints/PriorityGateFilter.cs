using MassTransit;

namespace Workflow.StageWorkers.Endpoints;

/// <summary>Runs a level queue's commands within the stage's <see cref="PriorityGate"/>.</summary>
public sealed class PriorityGateFilter(PriorityGate gate, int level) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        await gate.WaitAsync(level, context.CancellationToken);
        try
        {
            await next.Send(context);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("priority-gate");
}
