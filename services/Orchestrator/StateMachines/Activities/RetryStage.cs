using MassTransit;
using Microsoft.Extensions.Options;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>The saga's own retry of a stage that failed transiently: the next attempt, after the job type's backoff.</summary>
public sealed class RetryStage(IOptions<OrchestratorOptions> options) : JobActivity
{
    readonly OrchestratorOptions options = options.Value;

    protected override Task Run(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        saga.RetryCount++;
        JobMetrics.StageRetried(context);
        var delay = options.StageRetryFor(saga.Type).DelayBefore(saga.RetryCount);
        JobJournal.Record(saga,
            $"{saga.CurrentState} failed (transient): {JobFailures.Last(saga).Message}; stage retry {saga.RetryCount} of {saga.MaxRetries} in {delay.TotalMilliseconds:0} ms");
        return StageCommands.SendAsync(context, options, saga.Attempt + 1, delay);
    }
}
