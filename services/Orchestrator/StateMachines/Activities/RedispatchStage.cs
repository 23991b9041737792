using MassTransit;
using Microsoft.Extensions.Options;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>A manual retry's next attempt of the stage the job stopped in, sent at once: results of the earlier attempts are stale.</summary>
public sealed class RedispatchStage(IOptions<OrchestratorOptions> options) : JobActivity
{
    readonly OrchestratorOptions options = options.Value;

    protected override Task Run(BehaviorContext<JobState> context) =>
        StageCommands.SendAsync(context, options, context.Saga.Attempt + 1, TimeSpan.Zero);
}
