namespace Workflow.Gateway.Apis;

/// <summary>A dead letter could not be moved; the message says why, and it stays where it was.</summary>
public sealed class DeadLetterException(string message) : Exception(message);
