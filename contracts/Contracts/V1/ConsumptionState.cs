namespace Workflow.Contracts.V1;

/// <summary>
/// Every pause in force, published by the Orchestrator after each change (and the answer to <see cref="ChangeConsumption"/> and <see cref="GetConsumptionState"/>).
/// Each service instance applies the whole set; <paramref name="Version"/> orders the sets, so an older one is ignored.
/// </summary>
public sealed record ConsumptionState(IReadOnlyList<ConsumptionPause> Pauses, long Version);
