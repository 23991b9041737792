using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Workflow.ServiceDefaults.Messaging;

namespace Workflow.Gateway.Apis;

/// <summary>The RabbitMQ management HTTP API, for what operators do with dead letters: look at them and send them back.</summary>
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
    public async Task<IReadOnlyList<(string Queue, long Messages)>> ErrorQueuesAsync(CancellationToken cancellationToken)
    {
        var queues = await http.GetFromJsonAsync<JsonArray>($"api/queues/{virtualHost}?columns=name,messages", cancellationToken) ?? [];
        return [.. queues
            .Select(q => (Name: q!["name"]!.GetValue<string>(), Messages: q["messages"]?.GetValue<long>() ?? 0))
            .Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal))
            .Select(q => (q.Name[..^"_error".Length], q.Messages))
            .OrderBy(q => q.Item1, StringComparer.Ordinal)];
    }

    /// <summary>Up to <paramref name="count"/> messages of a queue, left in place.</summary>
    public Task<JsonArray> PeekAsync(string queue, int count, CancellationToken cancellationToken) =>
        GetAsync(queue, count, "ack_requeue_true", cancellationToken);

    /// <summary>Moves up to <paramref name="count"/> messages from <paramref name="from"/> to <paramref name="to"/>, one at a time.</summary>
    public async Task<int> MoveAsync(string from, string to, int count, CancellationToken cancellationToken)
    {
        var moved = 0;
        while (moved < count)
        {
            var batch = await GetAsync(from, 1, "ack_requeue_false", cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var message = batch[0]!;
            if (!await PublishAsync(to, message, cancellationToken))
            {
                // Not routed: put it back where it was rather than lose it.
                await PublishAsync(from, message, CancellationToken.None);
                throw new InvalidOperationException($"queue '{to}' does not exist; the message stays in '{from}'");
            }

            moved++;
        }

        return moved;
    }

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

    async Task<bool> PublishAsync(string queue, JsonNode message, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"api/exchanges/{virtualHost}/amq.default/publish", new
        {
            properties = message["properties"]?.DeepClone() ?? new JsonObject(),
            routing_key = queue,
            payload = message["payload"]?.GetValue<string>() ?? "",
            payload_encoding = message["payload_encoding"]?.GetValue<string>() ?? "string",
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["routed"]?.GetValue<bool>() == true;
    }

    /// <summary>What an operator needs to see of a dead letter: ids, type, the job, and the fault MassTransit recorded.</summary>
    public static object Describe(JsonNode message)
    {
        var headers = message["properties"]?["headers"];
        JsonNode? body = null;
        if (message["payload_encoding"]?.GetValue<string>() == "string")
        {
            try
            {
                body = JsonNode.Parse(message["payload"]!.GetValue<string>());
            }
            catch (JsonException)
            {
                // Not JSON: shown as it is below.
            }
        }

        return new
        {
            messageId = body?["messageId"]?.GetValue<string>() ?? message["properties"]?["message_id"]?.GetValue<string>(),
            messageType = body?["messageType"]?.AsArray().FirstOrDefault()?.GetValue<string>(),
            jobId = body?["message"]?["jobId"]?.GetValue<string>(),
            faultType = headers?["MT-Fault-ExceptionType"]?.GetValue<string>(),
            faultMessage = headers?["MT-Fault-Message"]?.GetValue<string>(),
            faultedAt = headers?["MT-Fault-Timestamp"]?.GetValue<string>(),
            reason = headers?["MT-Reason"]?.GetValue<string>(),
            payload = body is null ? message["payload"]?.GetValue<string>() : null,
        };
    }
}
