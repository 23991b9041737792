using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflow.Notifier.Consumers;
using Workflow.Notifier.Webhooks;
using Workflow.Notifier.WebSockets;
using Workflow.ServiceDefaults.Webhooks;
using Workflow.TestKit;

namespace Workflow.Notifier.Tests;

/// <summary>
/// The Notifier in-process with the test harness as its bus (job events to sockets, webhooks), a job store in place of
/// the Gateway, and its log lines kept for inspection.
/// </summary>
public sealed class NotifierFactory : WebApplicationFactory<Program>
{
    public FakeSnapshots Snapshots { get; } = new();

    public LogCapture Logs { get; } = new();

    /// <summary>Settings a test's factory adds; applied last.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>What host names resolve to, where a test plays DNS.</summary>
    public HostTable Hosts { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        // The in-memory harness replaces the bus: there is no RabbitMQ to declare queues on.
        builder.UseSetting("RabbitMq:DeclareQueues", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IJobSnapshotSource>(Snapshots);
            services.AddSingleton<ILoggerProvider>(Logs);
            services.AddSingleton<IHostResolver>(Hosts);
            services.AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<JobEventsConsumer>();
                x.AddConsumer<JobWebhookConsumer, JobWebhookConsumerDefinition>();
            });
        });
    }

    public async Task<TestSocket> ConnectAsync(string apiKey, string? origin = null)
    {
        var client = Server.CreateWebSocketClient();
        if (origin is not null)
        {
            client.ConfigureRequest = request => request.Headers.Origin = origin;
        }

        var socket = await client.ConnectAsync(new Uri(Server.BaseAddress, $"ws?access_token={apiKey}"), CancellationToken.None);
        return new TestSocket(socket);
    }
}

/// <summary>Every log line the service writes, with its exception, as text.</summary>
public sealed class LogCapture : ILoggerProvider
{
    readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(lines);

    public void Dispose()
    {
    }

    sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + (exception is null ? "" : "\n" + exception));
    }
}

/// <summary>Job states as the Gateway would answer them: only the owner (or an admin key) sees a job.</summary>
public sealed class FakeSnapshots : IJobSnapshotSource
{
    readonly ConcurrentDictionary<Guid, string> owners = new();

    public void Add(Guid jobId, string owner) => owners[jobId] = owner;

    /// <summary>Jobs whose state the Gateway cannot give right now.</summary>
    public ConcurrentDictionary<Guid, bool> Unavailable { get; } = new();

    /// <summary>The sequence of the last event a job's state includes, where a test sets one.</summary>
    public ConcurrentDictionary<Guid, int> Sequences { get; } = new();

    /// <summary>Jobs whose state is read slowly: set when the read began, and the read answers once the test releases it.</summary>
    public ConcurrentDictionary<Guid, (TaskCompletionSource Reading, TaskCompletionSource Release)> Slow { get; } = new();

    public async Task<JsonElement?> GetAsync(Guid jobId, string apiKey, CancellationToken cancellationToken)
    {
        if (Slow.TryGetValue(jobId, out var slow))
        {
            slow.Reading.TrySetResult();
            await slow.Release.Task.WaitAsync(cancellationToken);
        }

        if (Unavailable.ContainsKey(jobId))
        {
            throw new HttpRequestException("gateway down", null, System.Net.HttpStatusCode.ServiceUnavailable);
        }

        var user = apiKey switch { "dev-admin-key" => "admin", "dev-user-key" => "demo", _ => "?" };
        if (!owners.TryGetValue(jobId, out var owner) || (user != "admin" && user != owner))
        {
            return null;
        }

        var json = JsonSerializer.Serialize(new { id = jobId, status = "processing", owner, progress = new { percent = 40 }, sequence = Sequences.GetValueOrDefault(jobId) });
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}

/// <summary>A client socket that reads whole JSON messages.</summary>
public sealed class TestSocket(WebSocket socket) : IAsyncDisposable
{
    public WebSocket Socket => socket;

    public Task SendAsync(object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"closed: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
    }

    /// <summary>Receives until a message of <paramref name="type"/> arrives, returning everything read on the way.</summary>
    public async Task<List<JsonElement>> ReceiveUntilAsync(string type)
    {
        var messages = new List<JsonElement>();
        do
        {
            messages.Add(await ReceiveAsync());
        }
        while (messages[^1].GetProperty("type").GetString() != type);

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        socket.Dispose();
    }
}
