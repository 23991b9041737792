namespace Workflow.Contracts.V1;

/// <summary>Sent by the Gateway as a request to the Orchestrator's job saga, which answers <see cref="JobAccepted"/> once the job is saved.</summary>
/// <param name="JobId">The job's id; derived from the owner and the Idempotency-Key when one is given.</param>
/// <param name="Type">The job type (<see cref="JobTypes"/>): <c>image-generation</c> (the whole pipeline), <c>combination-analysis</c>
/// (the combinations and their score only) or <c>batch-processing</c> (<see cref="JobInput.Items"/>, each run as an image-generation job).</param>
/// <param name="Priority">high, normal or low.</param>
/// <param name="Owner">The user who owns the job.</param>
/// <param name="Input">What to render.</param>
/// <param name="MaxRetries">How many times a failed stage may be retried.</param>
/// <param name="TimeoutSeconds">Deadline of the whole job.</param>
/// <param name="CallbackUrl">Optional URL notified when the job ends.</param>
/// <param name="SubmittedAt">When the Gateway accepted the request (UTC).</param>
/// <param name="ParentJobId">The batch job this job is an item of, when it is one.</param>
/// <param name="UniqueKey">Only one pending or running job of the owner may carry this key.</param>
/// <param name="DependsOn">Jobs that must complete before this one starts; it fails if one of them fails or is cancelled.</param>
/// <param name="RunAt">When to start (UTC); the job stays pending until then.</param>
/// <param name="ScheduleId">The recurring schedule that submitted the job, told when the job ends.</param>
public sealed record SubmitJob(
    Guid JobId,
    string Type,
    string Priority,
    string Owner,
    JobInput Input,
    int MaxRetries,
    int TimeoutSeconds,
    string? CallbackUrl,
    DateTime SubmittedAt,
    Guid? ParentJobId = null,
    string? UniqueKey = null,
    IReadOnlyList<Guid>? DependsOn = null,
    DateTime? RunAt = null,
    Guid? ScheduleId = null);
