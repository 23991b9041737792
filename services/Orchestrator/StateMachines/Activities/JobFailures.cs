using MassTransit;
using Workflow.Contracts.V1;
using Workflow.ServiceDefaults.Retries;

namespace Workflow.Orchestrator.StateMachines.Activities;

/// <summary>
/// A failure is recorded first, in the job's errors with its classification; the saga's declaration then retries
/// the stage or faults the job on what was recorded.
/// </summary>
public static class JobFailures
{
    public static void Add(JobState saga, string reason, bool permanent) =>
        saga.Errors.Add(new JobError(DateTime.UtcNow, saga.CurrentState, saga.Attempt, reason, permanent));

    /// <summary>A stage command that exhausted the service's retries, or failed permanently.</summary>
    public static void Add<T>(JobState saga, Fault<T> fault)
    {
        JobMetrics.DeadLettered(saga.CurrentState);
        Add(saga, Reason(fault), fault.Exceptions.Any(Failures.IsPermanent));
    }

    /// <summary>A timer the sweep found due: the stage's, which a retry may help, or the job's deadline, which nothing helps.</summary>
    public static void Add(JobState saga, StageTimedOut timeout)
    {
        if (timeout.DeadlinePassed)
        {
            AddDeadlinePassed(saga);
        }
        else
        {
            Add(saga, $"{timeout.Stage} did not answer in time", permanent: false);
        }
    }

    public static void AddDeadlinePassed(JobState saga) => Add(saga, $"the job's deadline of {saga.TimeoutSeconds} s passed", permanent: true);

    /// <summary>The failure just recorded.</summary>
    public static JobError Last(JobState saga) => saga.Errors[^1];

    /// <summary>A transient failure within the job's retry budget runs the stage again.</summary>
    public static bool CanRetry(JobState saga) => !Last(saga).Permanent && saga.RetryCount < saga.MaxRetries;

    /// <summary>A stage service retried: each retry, its layer and its delay go into the history and the failure analysis.</summary>
    public static void AddRetrying(JobState saga, StageRetrying retry)
    {
        saga.Errors.Add(new JobError(retry.At, retry.Stage, retry.Attempt, retry.Reason, Permanent: false));
        JobJournal.Record(saga, $"{retry.Stage} failed (transient): {retry.Reason}; {retry.Layer} retry {retry.Retry} of {retry.Limit} in {retry.DelayMilliseconds:0} ms");
    }

    /// <summary>A permanent failure's message is its reason as the user reads it; a transient one keeps its type.</summary>
    static string Reason<T>(Fault<T> fault) =>
        fault.Exceptions.FirstOrDefault() is not { } e ? "the stage consumer faulted"
        : Failures.IsPermanent(e) ? e.Message
        : $"{e.ExceptionType}: {e.Message}";
}
