namespace Workflow.Contracts.V1;

/// <summary>Sent by the Gateway to the job saga: run a failed or cancelled job again from the stage it stopped in, keeping what was done.</summary>
/// <param name="JobId">The job to retry.</param>
/// <param name="RequestedBy">Who asked for it.</param>
public sealed record RetryJob(Guid JobId, string RequestedBy);
