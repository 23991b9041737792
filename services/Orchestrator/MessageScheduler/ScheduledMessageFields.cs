namespace Workflow.Orchestrator.MessageScheduler;

/// <summary>The job data keys under which a scheduled message waits in the Quartz tables (stored as strings).</summary>
static class ScheduledMessageFields
{
    public const string Destination = "destination";
    public const string Body = "body";
    public const string ContentType = "content-type";
    public const string MessageTypes = "message-types";
    public const string CorrelationId = "correlation-id";
    public const string ConversationId = "conversation-id";
    public const string InitiatorId = "initiator-id";
    public const string SourceAddress = "source-address";
    public const string Headers = "headers";
    public const string Priority = "priority";
}
