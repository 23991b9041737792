
namespace Workflow.Orchestrator.StateMachines;

/// <summary>One line of a job's audit trail.</summary>
public sealed record JobHistoryEntry(DateTime At, string State, string? Stage, int Attempt, string Message);
