namespace Workflow.Gateway.Apis;

/// <summary>What identifies a dead letter: its id, type, and the job and stage attempt it was for.</summary>
public sealed record DeadLetter(string? MessageId, string? MessageType, string? JobId, int? Attempt);
