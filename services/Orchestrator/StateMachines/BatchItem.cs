
namespace Workflow.Orchestrator.StateMachines;

/// <summary>One item of a batch job: its own job and how it went.</summary>
public sealed record BatchItem(int Index, Guid JobId, string Status, int ImageCount, string? Error);
