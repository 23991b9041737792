using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.StageWorkers.Consumption;

/// <summary>Every instance hears every change of the pauses (its own temporary queue).</summary>
sealed class ConsumptionStateConsumer(ConsumptionControl control) : IConsumer<ConsumptionState>
{
    public Task Consume(ConsumeContext<ConsumptionState> context) => control.ApplyAsync(context.Message);
}
