using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Workflow.IntegrationTests.Infrastructure;

/// <summary>A RabbitMQ virtual host of the test's own (created through the management API), deleted when disposed.</summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    readonly HttpClient management;

    TestVirtualHost(string name, HttpClient management)
    {
        Name = name;
        this.management = management;
    }

    public string Name { get; }

    public static async Task<TestVirtualHost> CreateAsync(string? managementUrl = null)
    {
        var management = new HttpClient { BaseAddress = new Uri(managementUrl ?? TestInfrastructure.RabbitManagementUrl) };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestInfrastructure.RabbitUser}:{TestInfrastructure.RabbitPassword}")));
        var name = $"wf-test-{Guid.NewGuid():N}";
        (await management.PutAsJsonAsync($"/api/vhosts/{name}", new { })).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"/api/permissions/{name}/{TestInfrastructure.RabbitUser}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        return new TestVirtualHost(name, management);
    }

    /// <summary>
    /// The bodies of the messages waiting in a queue, read and requeued through the management API
    /// (exact at once, unlike the queue figures it refreshes every few seconds). Empty when the queue does not exist.
    /// </summary>
    public async Task<IReadOnlyList<string>> PeekAsync(string queue, int max = 1000)
    {
        using var response = await management.PostAsJsonAsync(
            $"/api/queues/{Name}/{queue}/get", new { count = max, ackmode = "ack_requeue_true", encoding = "auto" });
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. body.RootElement.EnumerateArray().Select(m => m.GetProperty("payload").GetString() ?? "")];
    }

    /// <summary>Puts a raw message straight into a queue, as a misbehaving producer could.</summary>
    public async Task PublishRawAsync(string queue, string body, string contentType)
    {
        using var response = await management.PostAsJsonAsync($"/api/exchanges/{Name}/amq.default/publish", new
        {
            properties = new { content_type = contentType, delivery_mode = 2 },
            routing_key = queue,
            payload = body,
            payload_encoding = "string",
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Declares <paramref name="queue"/> and its error queue and dead-letters a MassTransit envelope of
    /// <paramref name="messageType"/> there the way MassTransit's error transport does: the body unchanged, the fault in
    /// <c>MT-Fault-*</c> headers. Answers the envelope's message id.
    /// </summary>
    public async Task<string> DeadLetterAsync(string queue, string messageType, object message, string exceptionType, string exceptionMessage)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync(queue + "_error", durable: true, exclusive: false, autoDelete: false);
        var messageId = Guid.NewGuid().ToString();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { messageId, messageType = new[] { "urn:message:" + messageType }, message });
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/vnd.masstransit+json",
            MessageId = messageId,
            Headers = new Dictionary<string, object?>
            {
                ["MT-Reason"] = "fault",
                ["MT-Fault-ExceptionType"] = exceptionType,
                ["MT-Fault-Message"] = exceptionMessage,
                ["MT-Fault-StackTrace"] = $"{exceptionType}: {exceptionMessage}\n   at Workflow.Stage.Consume(ConsumeContext context)",
                ["MT-Fault-Timestamp"] = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["MT-Fault-ConsumerType"] = "Workflow.Stage",
                ["MT-Fault-MessageType"] = messageType,
            },
        };
        await channel.BasicPublishAsync("", queue + "_error", mandatory: false, properties, body);
        return messageId;
    }

    /// <summary>
    /// The error queues (<c>…_error</c>) of the virtual host that hold messages, with how many, ordered by name.
    /// MassTransit declares an error queue when a message first faults on its endpoint, so every one is listed afresh.
    /// </summary>
    public async Task<IReadOnlyList<(string Queue, int Messages)>> ErrorQueueMessagesAsync()
    {
        using var queues = JsonDocument.Parse(await management.GetStringAsync($"/api/queues/{Name}?columns=name"));
        var names = queues.RootElement.EnumerateArray().Select(q => q.GetProperty("name").GetString()!)
            .Where(n => n.EndsWith("_error", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        var counts = new List<(string, int)>();
        foreach (var queue in names)
        {
            if (await ReadyMessagesAsync(queue) is > 0 and var messages)
            {
                counts.Add((queue, messages));
            }
        }

        return counts;
    }

    /// <summary>Every queue of the virtual host, as declared.</summary>
    public async Task<IReadOnlyList<DeclaredQueue>> QueuesAsync()
    {
        using var queues = JsonDocument.Parse(await management.GetStringAsync($"/api/queues/{Name}?columns=name,type,durable,auto_delete,arguments"));
        return [.. queues.RootElement.EnumerateArray().Select(q => new DeclaredQueue(q.GetProperty("name").GetString()!, q.GetProperty("type").GetString()!,
            q.GetProperty("durable").GetBoolean(), q.GetProperty("auto_delete").GetBoolean(), q.GetProperty("arguments").Clone()))];
    }

    /// <summary>How many consumers the queue has, as the management UI shows it.</summary>
    public async Task<int> ConsumersAsync(string queue)
    {
        using var body = JsonDocument.Parse(await management.GetStringAsync($"/api/queues/{Name}/{queue}"));
        return body.RootElement.GetProperty("consumers").GetInt32();
    }

    /// <summary>An AMQP connection to the virtual host, for what a test does below MassTransit.</summary>
    public Task<IConnection> ConnectAsync() => new ConnectionFactory
    {
        HostName = TestInfrastructure.RabbitHost,
        Port = TestInfrastructure.RabbitPort,
        VirtualHost = Name,
        UserName = TestInfrastructure.RabbitUser,
        Password = TestInfrastructure.RabbitPassword,
    }.CreateConnectionAsync();

    /// <summary>How many messages wait in a queue.</summary>
    public async Task<int> ReadyMessagesAsync(string queue) => (await PeekAsync(queue)).Count;

    public async ValueTask DisposeAsync()
    {
        await management.DeleteAsync($"/api/vhosts/{Name}");
        management.Dispose();
    }
}
