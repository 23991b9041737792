namespace Workflow.Contracts.V1;

/// <summary>Sent to the Orchestrator (request): pause or resume a stage queue, wholly or for one job type; answered with <see cref="ConsumptionState"/>.</summary>
public sealed record ChangeConsumption(string Queue, string? JobType, bool Paused, string RequestedBy);
