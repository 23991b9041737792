namespace Workflow.Contracts.V1;

/// <summary>A paused stage queue: all its commands (<paramref name="JobType"/> null), or those of one job type.</summary>
/// <param name="Queue">The stage queue (one of <see cref="QueueNames"/>).</param>
/// <param name="JobType">The job type whose commands wait, or null for every command of the queue.</param>
/// <param name="PausedAt">When it was paused.</param>
/// <param name="PausedBy">Who paused it.</param>
public sealed record ConsumptionPause(string Queue, string? JobType, DateTime PausedAt, string PausedBy);
