using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Workflow.Gateway.Monitoring;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.Gateway.Apis;

/// <summary>The RabbitMQ management HTTP API, for what operators look at: the error queues and their dead letters.</summary>
public sealed class RabbitManagementClient
{
    readonly HttpClient http;
    readonly string virtualHost;

    public RabbitManagementClient(HttpClient http, IOptions<RabbitMqOptions> rabbit, IOptions<GatewayOptions> gateway)
    {
        this.http = http;
        http.BaseAddress = new Uri(gateway.Value.RabbitManagementUrl.TrimEnd('/') + "/");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rabbit.Value.Username}:{rabbit.Value.Password}")));
        virtualHost = Uri.EscapeDataString(rabbit.Value.VirtualHost);
    }

    /// <summary>Every error queue of the virtual host with how many messages wait in it.</summary>
    public async Task<IReadOnlyList<(string Queue, long Messages)>> ErrorQueuesAsync(CancellationToken cancellationToken) =>
        [.. (await QueuesAsync(cancellationToken))
            .Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal))
            .Select(q => (q.Name[..^"_error".Length], q.Messages))
            .OrderBy(q => q.Item1, StringComparer.Ordinal)];

    /// <summary>
    /// Every queue of the virtual host: its messages (ready and unacknowledged), consumers, and the age of the message
    /// at its head when that message carries a timestamp.
    /// </summary>
    public async Task<IReadOnlyList<QueueSample>> QueueSamplesAsync(CancellationToken cancellationToken)
    {
        var queues = await http.GetFromJsonAsync<JsonArray>(
            $"api/queues/{virtualHost}?columns=name,messages,consumers,head_message_timestamp", cancellationToken) ?? [];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return [.. queues.Select(q => new QueueSample(
            q!["name"]!.GetValue<string>(),
            q["messages"]?.GetValue<long>() ?? 0,
            q["consumers"]?.GetValue<long>() ?? 0,
            q["head_message_timestamp"]?.GetValueKind() == System.Text.Json.JsonValueKind.Number ? Math.Max(0, now - q["head_message_timestamp"]!.GetValue<long>()) : null))];
    }

    /// <summary>Every queue of the virtual host: depth, consumers and message rates, as the management API last sampled them.</summary>
    public async Task<IReadOnlyList<QueueStats>> QueuesAsync(CancellationToken cancellationToken)
    {
        var queues = await http.GetFromJsonAsync<JsonArray>(
            $"api/queues/{virtualHost}?columns=name,messages,messages_ready,messages_unacknowledged,consumers,message_stats", cancellationToken) ?? [];
        static double Rate(JsonNode? stats, string name) => stats?[name + "_details"]?["rate"]?.GetValue<double>() ?? 0;
        return [.. queues.OfType<JsonObject>()
            .Select(q => new QueueStats(
                q["name"]!.GetValue<string>(), q["messages"]?.GetValue<long>() ?? 0, q["messages_ready"]?.GetValue<long>() ?? 0,
                q["messages_unacknowledged"]?.GetValue<long>() ?? 0, q["consumers"]?.GetValue<int>() ?? 0,
                Rate(q["message_stats"], "publish"), Rate(q["message_stats"], "deliver_get"), Rate(q["message_stats"], "ack")))
            .OrderBy(q => q.Name, StringComparer.Ordinal)];
    }

    /// <summary>Up to <paramref name="count"/> messages of a queue, left in place.</summary>
    public Task<JsonArray> PeekAsync(string queue, int count, CancellationToken cancellationToken) =>
        GetAsync(queue, count, "ack_requeue_true", cancellationToken);

    async Task<JsonArray> GetAsync(string queue, int count, string ackMode, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            $"api/queues/{virtualHost}/{Uri.EscapeDataString(queue)}/get", new { count, ackmode = ackMode, encoding = "auto" }, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken) ?? [];
    }

    /// <summary>
    /// What an operator needs to see of a dead letter: ids, type, the job and attempt, the fault MassTransit recorded,
    /// and whether the job has moved on from it (<paramref name="staleness"/>).
    /// </summary>
    public static object Describe(JsonNode message, DeadLetter? letter, Staleness staleness)
    {
        var headers = message["properties"]?["headers"];
        return new
        {
            messageId = letter?.MessageId ?? message["properties"]?["message_id"]?.GetValue<string>(),
            messageType = letter?.MessageType,
            jobId = letter?.JobId,
            attempt = letter?.Attempt,
            stale = staleness.Stale,
            staleReason = staleness.Reason,
            faultType = headers?["MT-Fault-ExceptionType"]?.GetValue<string>(),
            faultMessage = headers?["MT-Fault-Message"]?.GetValue<string>(),
            faultedAt = headers?["MT-Fault-Timestamp"]?.GetValue<string>(),
            reason = headers?["MT-Reason"]?.GetValue<string>(),
            payload = letter is null ? message["payload"]?.GetValue<string>() : null,
        };
    }

    /// <summary>The message's text, when the management API could give it as text.</summary>
    public static string? Payload(JsonNode message) =>
        message["payload_encoding"]?.GetValue<string>() == "string" ? message["payload"]?.GetValue<string>() : null;
}
