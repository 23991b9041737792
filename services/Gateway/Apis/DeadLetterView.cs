using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;

namespace Workflow.Gateway.Apis;

/// <summary>
/// One dead letter in full, as the console shows it and the NDJSON export writes it: what it is, the fault MassTransit
/// recorded in its headers (exception, message, stack trace), every header, and the body. <see cref="Key"/> names it
/// for a retry or discard of a selection: the envelope's message id, else the transport's, else a hash of the body.
/// </summary>
public sealed record DeadLetterView(
    string Queue, string Key, string? MessageId, string? MessageType, string? JobId, int? Attempt,
    string? ExceptionType, string? ExceptionMessage, string? StackTrace, string? FaultedAt,
    IReadOnlyDictionary<string, string> Headers, string Body, string BodyEncoding)
{
    public const string ExceptionTypeHeader = "MT-Fault-ExceptionType";
    public const string ExceptionMessageHeader = "MT-Fault-Message";
    public const string StackTraceHeader = "MT-Fault-StackTrace";
    public const string FaultedAtHeader = "MT-Fault-Timestamp";

    /// <summary>A message as the management API's <c>get</c> answers it (<c>encoding: auto</c>).</summary>
    public static DeadLetterView From(string queue, JsonNode message)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (message["properties"]?["headers"] is JsonObject fields)
        {
            foreach (var (name, value) in fields)
            {
                headers[name] = value is JsonValue text && text.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            }
        }

        var payload = message["payload"]?.GetValue<string>() ?? "";
        var body = message["payload_encoding"]?.GetValue<string>() == "base64" ? Convert.FromBase64String(payload) : Encoding.UTF8.GetBytes(payload);
        return Create(queue, message["properties"]?["message_id"]?.GetValue<string>(), headers, body);
    }

    /// <summary>A message taken from its error queue over AMQP.</summary>
    public static DeadLetterView From(string queue, BasicGetResult message)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in message.BasicProperties.Headers ?? new Dictionary<string, object?>())
        {
            headers[name] = HeaderText(value);
        }

        return Create(queue, message.BasicProperties.MessageId, headers, message.Body.Span);
    }

    /// <summary>The message type without MassTransit's <c>urn:message:</c> namespace prefix.</summary>
    public static string ShortType(string? messageType) =>
        string.IsNullOrEmpty(messageType) ? "(not a MassTransit message)" : messageType[(messageType.LastIndexOf(':') + 1)..];

    static DeadLetterView Create(string queue, string? transportMessageId, Dictionary<string, string> headers, ReadOnlySpan<byte> body)
    {
        string text;
        var encoding = "string";
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            text = Convert.ToBase64String(body);
            encoding = "base64";
        }

        var letter = encoding == "string" ? DeadLetters.Parse(text) : null;
        var key = letter?.MessageId ?? transportMessageId ?? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body))[..32];
        return new DeadLetterView(queue, key, letter?.MessageId ?? transportMessageId, letter?.MessageType, letter?.JobId, letter?.Attempt,
            headers.GetValueOrDefault(ExceptionTypeHeader), headers.GetValueOrDefault(ExceptionMessageHeader),
            headers.GetValueOrDefault(StackTraceHeader), headers.GetValueOrDefault(FaultedAtHeader), headers, text, encoding);
    }

    /// <summary>AMQP header values: strings arrive as bytes, lists and tables nest.</summary>
    static string HeaderText(object? value) => value switch
    {
        null => "",
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        AmqpTimestamp timestamp => DateTimeOffset.FromUnixTimeSeconds(timestamp.UnixTime).ToString("O", CultureInfo.InvariantCulture),
        IEnumerable<object?> list when value is not string => "[" + string.Join(", ", list.Select(HeaderText)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
