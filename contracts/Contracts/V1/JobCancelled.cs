namespace Workflow.Contracts.V1;

/// <summary>Published by the job saga when a job was cancelled; stage services stop their work on it.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Owner">The job's owner.</param>
/// <param name="Reason">Why, when given.</param>
/// <param name="CancelledAt">When it was cancelled (UTC).</param>
public sealed record JobCancelled(Guid JobId, string Owner, string? Reason, DateTime CancelledAt);
