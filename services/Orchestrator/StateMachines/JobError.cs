
namespace Workflow.Orchestrator.StateMachines;

/// <summary>One error a stage reported, with its classification.</summary>
public sealed record JobError(DateTime At, string Stage, int Attempt, string Message, bool Permanent);
