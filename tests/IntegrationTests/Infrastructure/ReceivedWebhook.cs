namespace Workflow.IntegrationTests.Infrastructure;

public sealed record ReceivedWebhook(string Body, string? Signature, string? Timestamp, string? Event, int AnsweredStatus);
