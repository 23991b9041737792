using MassTransit;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Metrics;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>
/// A stage result's provider usage (<see cref="ProviderUsage"/>) priced (<see cref="CostOptions"/>) and added to the
/// job's row, which the saga saves anyway: no message, no query. The cost is counted per owner and provider
/// (<see cref="WorkflowMetrics.JobCost"/>). A result from a service that reports no usage adds nothing.
/// </summary>
public sealed class RecordUsage(IOptions<CostOptions> options) : JobActivity
{
    readonly CostOptions costs = options.Value;

    protected override Task Run(BehaviorContext<JobState> context)
    {
        var usage = context switch
        {
            BehaviorContext<JobState, PromptsEnhanced> enhanced => enhanced.Message.Usage,
            BehaviorContext<JobState, ImagesGenerated> generated => generated.Message.Usage,
            _ => null,
        };
        if (usage is not null)
        {
            Add(context.Saga, usage, costs);
        }

        return Task.CompletedTask;
    }

    public static void Add(JobState saga, ProviderUsage usage, CostOptions costs)
    {
        var cost = costs.CostOf(usage);
        var total = saga.Usage ??= new JobUsage { Currency = costs.Currency };
        total.Stages.Add(new StageUsage(saga.CurrentState, saga.Attempt, usage.Provider, usage.Model, usage.Calls, usage.InputTokens, usage.OutputTokens, usage.Images, cost));
        total.Calls += usage.Calls;
        total.InputTokens += usage.InputTokens;
        total.OutputTokens += usage.OutputTokens;
        total.Images += usage.Images;
        total.Cost += cost;
        if (cost > 0)
        {
            WorkflowMetrics.JobCost.Add((double)cost,
                new(WorkflowMetrics.JobOwner, saga.Owner), new(WorkflowMetrics.Provider, usage.Provider), new(WorkflowMetrics.Currency, costs.Currency));
        }
    }
}
