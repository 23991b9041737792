namespace Workflow.Contracts.V1;

/// <summary>Published by a stage service each time it retries a failed command; the job saga records it in the job's history.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The stage attempt being retried (the saga's attempt; retries within it keep the number).</param>
/// <param name="Stage">The stage name, as the saga's state names it.</param>
/// <param name="Layer"><c>immediate</c> (in-process) or <c>redelivery</c> (through the scheduler).</param>
/// <param name="Retry">Which retry of this layer this is, from 1.</param>
/// <param name="Limit">How many retries this layer allows.</param>
/// <param name="DelayMilliseconds">The wait before this retry.</param>
/// <param name="Reason">The failure being retried.</param>
/// <param name="At">When the failure happened.</param>
public sealed record StageRetrying(Guid JobId, int Attempt, string Stage, string Layer, int Retry, int Limit, double DelayMilliseconds, string Reason, DateTime At);
