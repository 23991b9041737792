namespace Workflow.Gateway.Apis;

/// <summary>Whether a dead letter is stale (null: it is not a stage command), and why.</summary>
public sealed record Staleness(bool? Stale, string? Reason);
