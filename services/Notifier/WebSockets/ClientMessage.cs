namespace Workflow.Notifier.WebSockets;

/// <summary>What a client sends: subscribe or unsubscribe, to a job id or (admins) <c>*</c>.</summary>
public sealed record ClientMessage(string? Type, string? JobId);
