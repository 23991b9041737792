namespace Workflow.Contracts.V1;

/// <summary>Sent by the Gateway to the job saga: stop the job and mark it cancelled.</summary>
/// <param name="JobId">The job to cancel.</param>
/// <param name="RequestedBy">Who asked for the cancellation.</param>
/// <param name="Reason">Optional reason kept in the job's history.</param>
public sealed record CancelJob(Guid JobId, string RequestedBy, string? Reason);
