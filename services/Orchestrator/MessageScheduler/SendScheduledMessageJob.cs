using System.Net.Mime;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Quartz;

namespace Workflow.Orchestrator.MessageScheduler;

/// <summary>Sends a due scheduled message: the stored body as it was serialized, with the headers it was scheduled with.</summary>
public sealed class SendScheduledMessageJob(IBus bus, ILogger<SendScheduledMessageJob> logger) : IJob
{
    static readonly TimeSpan RefireDelay = TimeSpan.FromSeconds(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var destination = new Uri(Text(data, ScheduledMessageFields.Destination)!);
        var messageTypes = Text(data, ScheduledMessageFields.MessageTypes)!.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var headers = ReadHeaders(Text(data, ScheduledMessageFields.Headers));
        var correlationId = Id(data, ScheduledMessageFields.CorrelationId);
        try
        {
            var endpoint = await bus.GetSendEndpoint(destination);
            await endpoint.Send(new SerializedMessageBody(), Pipe.Execute<SendContext>(send =>
            {
                var deserializer = send.Serialization.GetMessageDeserializer(new ContentType(Text(data, ScheduledMessageFields.ContentType)!));
                var body = deserializer.GetMessageBody(Text(data, ScheduledMessageFields.Body)!);
                var stored = deserializer.Deserialize(body, new ReadOnlyDictionaryHeaders(SystemTextJsonMessageSerializer.Instance, headers), destination);
                send.Serializer = stored.GetMessageSerializer();
                send.SupportedMessageTypes = messageTypes;
                send.CorrelationId = correlationId;
                send.ConversationId = Id(data, ScheduledMessageFields.ConversationId);
                send.InitiatorId = Id(data, ScheduledMessageFields.InitiatorId);
                if (Text(data, ScheduledMessageFields.SourceAddress) is { } source)
                {
                    send.SourceAddress = new Uri(source);
                }

                foreach (var (key, value) in headers)
                {
                    send.Headers.Set(key, value);
                }

                if (byte.TryParse(Text(data, ScheduledMessageFields.Priority), out var priority))
                {
                    send.TrySetPriority(priority);
                }
            }), cancellationToken);

            logger.LogDebug("Sent scheduled {MessageTypes} to {Destination} for {JobId} ({Late} ms late)",
                messageTypes, destination, correlationId, (DateTimeOffset.UtcNow - context.ScheduledFireTimeUtc)?.TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // RabbitMQ may be restarting: Quartz fires the job again, after a pause, rather than losing the message.
            logger.LogWarning(e, "Could not send scheduled {MessageTypes} to {Destination} for {JobId}; retrying", messageTypes, destination, correlationId);
            await Task.Delay(RefireDelay, cancellationToken);
            throw new JobExecutionException(e) { RefireImmediately = true };
        }
    }

    static string? Text(JobDataMap data, string key) => data.TryGetValue(key, out var value) ? value?.ToString() : null;

    static Guid? Id(JobDataMap data, string key) => Guid.TryParse(Text(data, key), out var id) ? id : null;

    /// <summary>Header values back as the primitives they were (a redelivery count is a number, not a string).</summary>
    static Dictionary<string, object> ReadHeaders(string? json)
    {
        var headers = new Dictionary<string, object>();
        if (string.IsNullOrEmpty(json))
        {
            return headers;
        }

        foreach (var property in JsonDocument.Parse(json).RootElement.EnumerateObject())
        {
            object? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number when property.Value.TryGetInt32(out var i) => i,
                JsonValueKind.Number when property.Value.TryGetInt64(out var l) => l,
                JsonValueKind.Number => property.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => property.Value.GetRawText(),
            };
            if (value is not null)
            {
                headers[property.Name] = value;
            }
        }

        return headers;
    }
}
