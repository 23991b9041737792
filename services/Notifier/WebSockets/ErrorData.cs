namespace Workflow.Notifier.WebSockets;

/// <summary>The data of <c>error</c>: what the client asked for that could not be done.</summary>
public sealed record ErrorData(string Message);
