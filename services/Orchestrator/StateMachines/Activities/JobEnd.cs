using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>How a job ends: completed, faulted or cancelled, and who hears of it.</summary>
public static class JobEnd
{
    /// <summary>
    /// Ends a job that completed. <see cref="JobCompleted"/> is its last event and its final status (the Notifier
    /// shows it as such), so no status event goes with it.
    /// </summary>
    public static async Task Completed(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        saga.CompletedAt = DateTime.UtcNow;
        JobJournal.Progress(saga, saga.ProgressTotal, saga.ProgressTotal, ProgressMilestones.Completed, "completed");
        JobJournal.Record(saga, "completed");
        await Publish(context, new JobCompleted(saga.CorrelationId, saga.Owner, saga.BatchItems?.Sum(i => i.ImageCount) ?? saga.Images?.Count ?? 0,
            saga.CompletedAt.Value, saga.CallbackUrl, ++saga.Sequence));
        await NotifyEnded(context);
    }

    /// <summary>Before the job leaves the state it failed in: the failure just recorded is the job's, and a manual retry resumes there.</summary>
    public static void Fault(JobState saga)
    {
        var failure = JobFailures.Last(saga);
        saga.FaultStage = saga.CurrentState;
        saga.FaultReason = failure.Message;
        saga.ResumeState = saga.CurrentState;
        saga.CompletedAt = DateTime.UtcNow;
        saga.ProgressMessage = failure.Permanent
            ? $"{saga.CurrentState} failed: {failure.Message}"
            : $"{saga.CurrentState} failed after {saga.Attempt} attempts: {failure.Message}";
    }

    public static async Task Faulted(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        JobJournal.Record(saga, saga.ProgressMessage);
        await context.Publish(JobJournal.StatusChanged(saga), context.CancellationToken);
        await Publish(context, new JobFaulted(saga.CorrelationId, saga.Owner, saga.FaultStage!, saga.FaultReason!, saga.CompletedAt!.Value, saga.CallbackUrl, ++saga.Sequence));
        // A batch that fails (its deadline passed) stops its items too: none outlives it.
        await Batches.CancelRunning(context, $"batch {saga.CorrelationId}", $"the batch failed: {saga.FaultReason}");
        await NotifyEnded(context);
    }

    /// <summary>Before the job leaves the state it was cancelled in: a manual retry resumes there.</summary>
    public static void Cancel(JobState saga) => saga.ResumeState = saga.CurrentState;

    public static async Task Cancelled(BehaviorContext<JobState, CancelJob> context)
    {
        var saga = context.Saga;
        saga.CompletedAt = DateTime.UtcNow;
        saga.ProgressMessage = "cancelled";
        JobJournal.Record(saga, $"cancelled by {context.Message.RequestedBy}" + (context.Message.Reason is { Length: > 0 } r ? $": {r}" : ""));
        await context.Publish(JobJournal.StatusChanged(saga), context.CancellationToken);
        await Publish(context, new JobCancelled(saga.CorrelationId, saga.Owner, context.Message.Reason, saga.CompletedAt.Value));
        await Batches.CancelRunning(context, context.Message.RequestedBy, "the batch was cancelled");
        await NotifyEnded(context);
    }

    /// <summary>
    /// Publishes how the job ended, and sends it to whoever asked to hear of this job alone: the webhook queue when
    /// the job has a callback URL, the recurring schedules when a schedule submitted it. Jobs without either cost
    /// those queues nothing.
    /// </summary>
    static async Task Publish<T>(BehaviorContext<JobState> context, T ended)
        where T : class
    {
        var saga = context.Saga;
        await context.Publish(ended, context.CancellationToken);
        if (saga.CallbackUrl is not null && ended is not JobCancelled)
        {
            var webhooks = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobWebhooks));
            await webhooks.Send(ended, context.CancellationToken);
        }

        if (saga.ScheduleId is not null)
        {
            var schedules = await context.GetSendEndpoint(QueueNames.Address(QueueNames.ScheduledJobEnded));
            await schedules.Send(ended, context.CancellationToken);
        }
    }

    /// <summary>Ends the job's timers and tells the batch it belongs to, if any, and the jobs waiting for it, that it ended.</summary>
    static async Task NotifyEnded(BehaviorContext<JobState> context)
    {
        var saga = context.Saga;
        JobTimers.Stop(saga);
        foreach (var watcher in saga.Watchers)
        {
            await JobDependencies.TellWatcher(context, watcher);
        }

        if (saga.ParentJobId is not { } parent)
        {
            return;
        }

        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.JobState));
        await endpoint.Send(
            new BatchItemFinished(parent, saga.CorrelationId, JobStatuses.Of(saga.CurrentState), saga.Images?.Count ?? 0, saga.FaultReason),
            context.CancellationToken);
    }
}
