using MassTransit;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>The command of each stage, and how it leaves: with its timer in the row and the job's status published.</summary>
public static class StageCommands
{
    /// <summary>
    /// Sends the command of the stage the job is in now, after <paramref name="delay"/> (through the scheduler), and
    /// publishes the job's status: one event per stage, which carries the milestone the previous stage reached. The
    /// stage's timeout is a due time in the row (<see cref="JobState.StageTimeoutAt"/>); results must answer
    /// <paramref name="attempt"/>.
    /// </summary>
    public static async Task SendAsync(BehaviorContext<JobState> context, OrchestratorOptions options, int attempt, TimeSpan delay)
    {
        var saga = context.Saga;
        saga.Attempt = attempt;
        // The status event below takes the next sequence number; the images' progress events the ones after it.
        var statusSequence = saga.Sequence + 1;
        var (queue, command, total) = saga.CurrentState switch
        {
            JobStates.Analyzing => (QueueNames.AnalyzeCombinations,
                (object)new AnalyzeCombinations(saga.CorrelationId, attempt, saga.Owner, saga.Input.Attributes, saga.Input.Count, saga.Input.Seed), 1),
            JobStates.Enhancing => (QueueNames.EnhancePrompts,
                new EnhancePrompts(saga.CorrelationId, attempt, saga.Input.BasePrompt, [.. saga.Combinations!]), saga.Combinations!.Count),
            JobStates.Generating => (QueueNames.GenerateImages,
                new GenerateImages(saga.CorrelationId, attempt, saga.Prompts!, saga.Input.Width, saga.Input.Height, saga.Owner, statusSequence),
                saga.Prompts!.Count),
            JobStates.Finalizing => (QueueNames.PostProcessImages,
                new PostProcessImages(saga.CorrelationId, attempt, saga.Images!), saga.Images!.Count),
            _ => throw new InvalidOperationException($"Job {saga.CorrelationId} has no stage to dispatch in state {saga.CurrentState}."),
        };

        saga.ProgressCurrent = 0;
        saga.ProgressTotal = total;
        JobTimers.StartStage(saga, options, delay);
        var started = attempt == 1 ? $"{saga.CurrentState.ToLowerInvariant()} started"
            : delay > TimeSpan.Zero ? $"{saga.CurrentState.ToLowerInvariant()} retry, attempt {attempt}, in {delay.TotalMilliseconds:0} ms"
            : $"{saga.CurrentState.ToLowerInvariant()} retry, attempt {attempt}";
        // A first attempt keeps the milestone's message ("4 combinations chosen") for the status; a retry says so.
        if (attempt > 1)
        {
            saga.ProgressMessage = started;
        }

        JobJournal.Record(saga, started);
        await context.Publish(JobJournal.StatusChanged(saga), context.CancellationToken);
        if (saga.CurrentState == JobStates.Generating)
        {
            saga.Sequence += total;
        }

        // The job type travels as a header, so that the stage service applies that type's retry policy; the
        // priority orders the stage queue, and the service's results inherit it.
        var withJobType = Pipe.Execute<SendContext>(send =>
        {
            send.Headers.Set(JobHeaders.JobType, saga.Type);
            send.SetJobPriority(saga.Priority);
        });
        if (delay > TimeSpan.Zero)
        {
            await context.ScheduleSend(QueueNames.Address(queue), saga.StageStartedAt!.Value, command, command.GetType(), withJobType, context.CancellationToken);
        }
        else
        {
            var endpoint = await context.GetSendEndpoint(QueueNames.Address(queue));
            await endpoint.Send(command, command.GetType(), withJobType, context.CancellationToken);
        }
    }
}
