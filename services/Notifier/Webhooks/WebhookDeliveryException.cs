namespace Workflow.Notifier.Webhooks;

/// <summary>A delivery worth retrying failed.</summary>
public sealed class WebhookDeliveryException(string message) : Exception(message);
