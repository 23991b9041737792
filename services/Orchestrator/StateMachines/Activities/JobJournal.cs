using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>What the job says about itself: its history (audit trail), its progress and its status events.</summary>
public static class JobJournal
{
    public static void Record(JobState saga, string message)
    {
        var now = DateTime.UtcNow;
        saga.UpdatedAt = now;
        saga.History.Add(new JobHistoryEntry(now, saga.CurrentState, StageOf(saga.CurrentState), saga.Attempt, message));
    }

    public static void Progress(JobState saga, int current, int total, int percent, string message)
    {
        saga.ProgressCurrent = current;
        saga.ProgressTotal = total;
        saga.ProgressPercent = Math.Clamp(percent, saga.ProgressPercent, ProgressMilestones.Completed);
        saga.ProgressMessage = message;
    }

    /// <summary>The job's status now, numbered after the events before it.</summary>
    public static JobStatusChanged StatusChanged(JobState saga)
    {
        saga.Sequence++;
        saga.UpdatedAt = DateTime.UtcNow;
        return Status(saga);
    }

    /// <summary>The job's status now, under the sequence number of the last event published for it.</summary>
    public static JobStatusChanged Status(JobState saga) =>
        new(
            saga.CorrelationId,
            saga.Owner,
            JobStatuses.Of(saga.CurrentState),
            new JobProgress(saga.ProgressCurrent, saga.ProgressTotal, saga.CurrentState, saga.ProgressMessage, saga.ProgressPercent),
            saga.Sequence,
            saga.UpdatedAt);

    /// <summary>A webhook delivery the Notifier attempted for this job.</summary>
    public static void RecordWebhook(JobState saga, WebhookAttempted attempt) =>
        Record(saga, $"webhook {attempt.Event} attempt {attempt.Attempt}: " + (attempt.StatusCode is { } code ? $"HTTP {code}, " : "") + attempt.Detail);

    static string? StageOf(string state) =>
        state is JobStates.Analyzing or JobStates.Enhancing or JobStates.Generating or JobStates.Finalizing or JobStates.Batching ? state : null;
}
