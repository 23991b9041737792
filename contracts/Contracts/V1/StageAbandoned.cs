namespace Workflow.Contracts.V1;

/// <summary>
/// Published by the job saga when it gives up on a running stage attempt without its answer: the stage timed out (it is
/// retried with a new attempt, or the job fails) or the job's deadline passed. Stage services stop that work. A job that
/// runs through has none, so stage services hear nothing of the jobs that go well.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Stage">The stage whose attempt was abandoned.</param>
/// <param name="Attempt">The abandoned attempt.</param>
/// <param name="AbandonedAt">When (UTC); commands sent before it are stale.</param>
public sealed record StageAbandoned(Guid JobId, string Stage, int Attempt, DateTime AbandonedAt);
