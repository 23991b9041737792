namespace Workflow.Orchestrator.StateMachines;

/// <summary>One stage attempt's provider usage, priced when its result came.</summary>
public sealed record StageUsage(string Stage, int Attempt, string Provider, string Model, int Calls, long InputTokens, long OutputTokens, int Images, decimal Cost);
