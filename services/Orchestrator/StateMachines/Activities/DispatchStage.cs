using MassTransit;
using Microsoft.Extensions.Options;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>The first attempt of the stage the job has just entered, sent at once.</summary>
public sealed class DispatchStage(IOptions<OrchestratorOptions> options) : JobActivity
{
    readonly OrchestratorOptions options = options.Value;

    protected override Task Run(BehaviorContext<JobState> context) => StageCommands.SendAsync(context, options, attempt: 1, TimeSpan.Zero);
}
