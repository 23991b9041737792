using MassTransit;
using MassTransit.Context;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Workflow.Orchestrator.Persistence;

/// <summary>
/// A message the saga sent, stored in <c>workflow.outbox_messages</c> in the transaction that saved the saga's new
/// state, and deleted once the broker has it. Everything MassTransit needs to send it again as it was: the
/// serialized envelope, the headers and the transport properties (the RabbitMQ priority among them).
/// </summary>
public sealed class OutboxMessage : OutboxMessageContext
{
    static readonly IReadOnlyDictionary<string, object> NoProperties = new Dictionary<string, object>();

    Headers? headers;
    IReadOnlyDictionary<string, object>? properties;

    public long SequenceNumber { get; set; }

    /// <summary>The job the message belongs to, for the logs of whoever delivers it.</summary>
    public Guid? JobId { get; set; }

    public DateTime CreatedAt { get; set; }

    public Guid MessageId { get; set; }

    public Guid? ConversationId { get; set; }

    public Guid? CorrelationId { get; set; }

    public Guid? InitiatorId { get; set; }

    public Guid? RequestId { get; set; }

    public Uri? SourceAddress { get; set; }

    public Uri? DestinationAddress { get; set; }

    public Uri? ResponseAddress { get; set; }

    public Uri? FaultAddress { get; set; }

    public DateTime SentTime { get; set; }

    public DateTime? ExpirationTime { get; set; }

    public string ContentType { get; set; } = "";

    public string MessageType { get; set; } = "";

    public string Body { get; set; } = "";

    public string? HeadersJson { get; set; }

    public string? PropertiesJson { get; set; }

    Guid? MessageContext.MessageId => MessageId;

    DateTime? MessageContext.SentTime => SentTime;

    Headers MessageContext.Headers => headers ??= ReadHeaders();

    HostInfo MessageContext.Host => HostMetadataCache.Host;

    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties =>
        properties ??= SystemTextJsonMessageSerializer.Instance.DeserializeDictionary<object>(PropertiesJson) ?? NoProperties;

    /// <summary>Captures a message being sent, as the broker would have received it.</summary>
    public static OutboxMessage From<T>(SendContext<T> context, Guid? jobId)
        where T : class
    {
        var now = DateTime.UtcNow;
        var message = new OutboxMessage
        {
            JobId = jobId,
            CreatedAt = now,
            MessageId = context.MessageId ?? throw new InvalidOperationException($"A {typeof(T).Name} has no message id."),
            ConversationId = context.ConversationId,
            CorrelationId = context.CorrelationId,
            InitiatorId = context.InitiatorId,
            RequestId = context.RequestId,
            SourceAddress = context.SourceAddress,
            DestinationAddress = context.DestinationAddress,
            ResponseAddress = context.ResponseAddress,
            FaultAddress = context.FaultAddress,
            SentTime = context.SentTime ?? now,
            ExpirationTime = context.TimeToLive is { } ttl ? now + ttl : null,
            ContentType = (context.ContentType ?? context.Serialization.DefaultContentType).ToString(),
            MessageType = string.Join(";", context.SupportedMessageTypes),
            Body = context.Serializer.GetMessageBody(context).GetString(),
            HeadersJson = SystemTextJsonMessageSerializer.Instance.SerializeDictionary(context.Headers.GetAll()),
        };

        if (context is TransportSendContext<T> transport)
        {
            var transportProperties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transport.WritePropertiesTo(transportProperties);
            message.PropertiesJson = SystemTextJsonMessageSerializer.Instance.SerializeDictionary(transportProperties);
        }

        return message;
    }

    Headers ReadHeaders() =>
        SystemTextJsonMessageSerializer.Instance.DeserializeDictionary<object?>(HeadersJson) is { } values
            ? new DictionarySendHeaders(values)
            : new DictionarySendHeaders();
}
