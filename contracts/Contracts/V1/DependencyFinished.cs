namespace Workflow.Contracts.V1;

/// <summary>Sent by a job's saga to each job waiting for it, when it ended.</summary>
/// <param name="JobId">The waiting job.</param>
/// <param name="DependencyJobId">The job that ended.</param>
/// <param name="Status">completed, failed or cancelled.</param>
/// <param name="Reason">Why it failed, when it did.</param>
public sealed record DependencyFinished(Guid JobId, Guid DependencyJobId, string Status, string? Reason);
