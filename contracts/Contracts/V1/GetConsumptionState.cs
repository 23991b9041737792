namespace Workflow.Contracts.V1;

/// <summary>Sent to the Orchestrator (request): what is paused now; answered with <see cref="ConsumptionState"/>.</summary>
public sealed record GetConsumptionState;
