namespace Workflow.Contracts.V1;

/// <summary>
/// Sent by the job saga to the Notifier's webhook queue when a job failed for good (its retries spent, a permanent
/// error or its deadline) and its type has an operator alert URL; the Notifier POSTs it, signed, as <c>job.failure_alert</c>.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="JobType">The job's type.</param>
/// <param name="Owner">The job's owner.</param>
/// <param name="Url">The operator's webhook URL for this job type.</param>
/// <param name="Stage">The stage that failed.</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="Permanent">True when the last failure was permanent (no retry could mend it).</param>
/// <param name="Attempt">The attempt of the stage that failed last.</param>
/// <param name="RetryCount">Stage retries spent.</param>
/// <param name="MaxRetries">The job's retry budget.</param>
/// <param name="Failures">Every failure the saga recorded for the job, oldest first.</param>
/// <param name="CreatedAt">When the job was submitted (UTC).</param>
/// <param name="FailedAt">When it failed (UTC).</param>
public sealed record JobFailureAlert(
    Guid JobId,
    string JobType,
    string Owner,
    string Url,
    string Stage,
    string Reason,
    bool Permanent,
    int Attempt,
    int RetryCount,
    int MaxRetries,
    IReadOnlyList<StageFailure> Failures,
    DateTime CreatedAt,
    DateTime FailedAt);
