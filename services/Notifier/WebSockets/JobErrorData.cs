namespace Workflow.Notifier.WebSockets;

/// <summary>The data of <c>job_error</c>.</summary>
public sealed record JobErrorData(string Status, string Stage, string Error, int Sequence);
