using MassTransit;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Metrics;

namespace Workflow.Orchestrator.StateMachines;

/// <summary>
/// The saga's metrics, recorded from what its transitions already carry: the states left and entered, and the times
/// in the row (<see cref="JobState.CreatedAt"/>, <see cref="JobState.StageStartedAt"/>). No message, no query, no
/// allocation. A message that is applied again after an optimistic-concurrency conflict records again: rare, since a
/// job's messages take turns within an instance (<see cref="JobStateDefinition"/>).
/// </summary>
public sealed class JobMetrics : IStateObserver<JobState>
{
    public Task StateChanged(BehaviorContext<JobState> context, State currentState, State previousState)
    {
        var saga = context.Saga;
        var now = DateTime.UtcNow;
        // A new saga comes from no state, or from Initial, depending on how MassTransit created it.
        if (previousState?.Name is null or "Initial" && currentState.Name != "Initial")
        {
            WorkflowMetrics.JobsSubmitted.Add(1, new(WorkflowMetrics.JobType, saga.Type), new(WorkflowMetrics.JobPriority, saga.Priority));
        }

        if (previousState is not null && IsStage(previousState.Name) && saga.StageStartedAt is { } started)
        {
            WorkflowMetrics.StageDuration.Record(Math.Max(0, (now - started).TotalSeconds),
                new(WorkflowMetrics.Stage, previousState.Name), new(WorkflowMetrics.StageOutcome, StageOutcome(currentState.Name)));
        }

        if (JobStates.IsFinal(currentState.Name))
        {
            var type = new KeyValuePair<string, object?>(WorkflowMetrics.JobType, saga.Type);
            var priority = new KeyValuePair<string, object?>(WorkflowMetrics.JobPriority, saga.Priority);
            var status = new KeyValuePair<string, object?>(WorkflowMetrics.JobStatus, JobStatuses.Of(currentState.Name));
            WorkflowMetrics.JobsEnded.Add(1, type, priority, status);
            WorkflowMetrics.JobDuration.Record(Math.Max(0, (now - saga.CreatedAt).TotalSeconds), type, priority, status);
        }

        return Task.CompletedTask;
    }

    /// <summary>The saga retries the stage the job is in: after a stage timeout, or a command that faulted.</summary>
    public static void StageRetried(BehaviorContext<JobState> context) =>
        WorkflowMetrics.StageRetries.Add(1,
            new(WorkflowMetrics.Stage, context.Saga.CurrentState),
            new(WorkflowMetrics.RetryLayer, "saga"),
            new(WorkflowMetrics.ErrorType, context.Event.Name == nameof(JobStateMachine.StageTimedOut) ? "timeout" : "fault"));

    /// <summary>A stage command faulted: the stage service moved it to the error queue of <paramref name="stage"/>'s queue.</summary>
    public static void DeadLettered(string stage) =>
        WorkflowMetrics.DeadLetters.Add(1, new KeyValuePair<string, object?>(WorkflowMetrics.Queue, stage switch
        {
            JobStates.Analyzing => QueueNames.AnalyzeCombinations + "_error",
            JobStates.Enhancing => QueueNames.EnhancePrompts + "_error",
            JobStates.Generating => QueueNames.GenerateImages + "_error",
            _ => QueueNames.PostProcessImages + "_error",
        }));

    /// <summary>The saga handled a message of type <typeparamref name="T"/> (its unit of work ended without an error).</summary>
    public static void MessageHandled<T>()
        where T : class =>
        WorkflowMetrics.SagaMessages.Add(1, MessageTag<T>.Value);

    /// <summary>One save of a saga row with its outbox and commit, from <paramref name="startedAt"/> (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public static void Saved(long startedAt) =>
        WorkflowMetrics.SagaSaveDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(startedAt).TotalSeconds);

    static bool IsStage(string state) => state is JobStates.Analyzing or JobStates.Enhancing or JobStates.Generating or JobStates.Finalizing;

    static string StageOutcome(string next) => next switch
    {
        JobStates.Faulted => "failed",
        JobStates.Cancelled => "cancelled",
        _ => "completed",
    };

    /// <summary>A message type's tag, built once per type: <c>Fault&lt;GenerateImages&gt;</c> reads as <c>Fault&lt;GenerateImages&gt;</c>, not <c>Fault`1</c>.</summary>
    static class MessageTag<T>
    {
        public static readonly KeyValuePair<string, object?> Value = new(WorkflowMetrics.MessageType,
            typeof(T).IsGenericType ? $"{typeof(T).Name[..typeof(T).Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(",", typeof(T).GetGenericArguments().Select(a => a.Name))}>" : typeof(T).Name);
    }
}
