namespace Workflow.Contracts.V1;

/// <summary>A paused stage queue: all its commands (<paramref name="JobType"/> null), or those of one job type.</summary>
/// <param name="Queue">The stage queue (one of <see cref="QueueNames"/>).</param>
/// <param name="JobType">The job type whose commands wait, or null for every command of the queue.</param>
/// <param name="PausedAt">When it was paused.</param>
/// <param name="PausedBy">Who paused it.</param>
public sealed record ConsumptionPause(string Queue, string? JobType, DateTime PausedAt, string PausedBy);

/// <summary>Sent to the Orchestrator (request): pause or resume a stage queue, wholly or for one job type; answered with <see cref="ConsumptionState"/>.</summary>
public sealed record ChangeConsumption(string Queue, string? JobType, bool Paused, string RequestedBy);

/// <summary>Sent to the Orchestrator (request): what is paused now; answered with <see cref="ConsumptionState"/>.</summary>
public sealed record GetConsumptionState;

/// <summary>
/// Every pause in force, published by the Orchestrator after each change (and the answer to the requests above).
/// Each service instance applies the whole set; <paramref name="Version"/> orders the sets, so an older one is ignored.
/// </summary>
public sealed record ConsumptionState(IReadOnlyList<ConsumptionPause> Pauses, long Version);
