using Workflow.Contracts.V1;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>
/// An operator's retry of a failed or cancelled job: back to the state the job stopped in, with a fresh retry budget
/// and what earlier stages produced (combinations, prompts, images already in the blob store are not redone).
/// </summary>
public static class ManualRetry
{
    /// <summary>A fresh budget; <see cref="JobState.ResumeState"/> stays until <see cref="Resumed"/>, as the declaration branches on it.</summary>
    public static void Reset(JobState saga)
    {
        saga.RetryCount = 0;
        saga.CompletedAt = null;
        saga.FaultStage = null;
        saga.FaultReason = null;
    }

    /// <summary>True when the job stopped in <paramref name="state"/>.</summary>
    public static bool ResumesIn(JobState saga, string state) => saga.ResumeState == state;

    /// <summary>True when the job stopped before it ran (waiting for its start or its dependencies): it starts over.</summary>
    public static bool StartsOver(JobState saga) =>
        saga.ResumeState is not (JobStates.Analyzing or JobStates.Enhancing or JobStates.Generating or JobStates.Finalizing or JobStates.Batching);

    public static void Record(JobState saga, RetryJob message) =>
        JobJournal.Record(saga, $"manual retry by {message.RequestedBy} from {saga.ResumeState ?? JobStates.Submitted}");

    public static void Resumed(JobState saga) => saga.ResumeState = null;
}
