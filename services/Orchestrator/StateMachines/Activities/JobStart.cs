using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>A job's acceptance, and its start once it is due and nothing holds it back.</summary>
public static class JobStart
{
    public static void Accept(JobState saga, SubmitJob message)
    {
        saga.Type = message.Type;
        saga.Priority = message.Priority;
        saga.Owner = message.Owner;
        saga.Input = message.Input;
        saga.MaxRetries = message.MaxRetries;
        saga.TimeoutSeconds = message.TimeoutSeconds;
        saga.CallbackUrl = message.CallbackUrl;
        saga.ParentJobId = message.ParentJobId;
        saga.UniqueKey = message.UniqueKey;
        saga.RunAt = message.RunAt;
        saga.ProgressMessage = message.RunAt > DateTime.UtcNow ? $"scheduled for {message.RunAt:O}" : "waiting to start";
        saga.Dependencies = message.DependsOn is { Count: > 0 } dependsOn ? dependsOn.Distinct().ToDictionary(d => d, _ => JobStatuses.Pending) : null;
        saga.ScheduleId = message.ScheduleId;
        saga.CreatedAt = message.SubmittedAt;
    }

    /// <summary>The answer to the submission that created the job: its status as this unit of work leaves it.</summary>
    public static JobAccepted Accepted(JobState saga) => new(saga.CorrelationId, saga.CreatedAt, JobJournal.Status(saga), saga.StartedAt);

    /// <summary>True unless the job was submitted to start later.</summary>
    public static bool IsDue(JobState saga) => saga.RunAt is null || saga.RunAt <= DateTime.UtcNow;

    /// <summary>The job's run starts, and the clock on its deadline with it.</summary>
    public static void Begin(JobState saga)
    {
        saga.StartedAt = DateTime.UtcNow;
        saga.ProgressMessage = "started";
        // A delayed start's due time is spent: a batch has no stage timer, and a stage's dispatch sets its own.
        saga.StageTimeoutAt = null;
        JobTimers.StartDeadline(saga);
    }
}
