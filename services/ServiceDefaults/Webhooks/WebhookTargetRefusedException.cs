namespace Workflow.ServiceDefaults.Webhooks;

/// <summary>A webhook's connection was refused because its host is, or resolves to, an address that is not public.</summary>
public sealed class WebhookTargetRefusedException(string host) : Exception($"webhook host '{host}' is not a public address");
