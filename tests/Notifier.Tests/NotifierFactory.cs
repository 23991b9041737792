using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Notifier.Consumers;
using Workflow.Notifier.WebSockets;

namespace Workflow.Notifier.Tests;

/// <summary>The Notifier in-process with the test harness as its bus and a job store in place of the Gateway.</summary>
public sealed class NotifierFactory : WebApplicationFactory<Program>
{
    public FakeSnapshots Snapshots { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IJobSnapshotSource>(Snapshots);
            services.AddMassTransitTestHarness(x => x.AddConsumer<JobEventsConsumer>());
        });
    }

    public async Task<TestSocket> ConnectAsync(string apiKey)
    {
        var client = Server.CreateWebSocketClient();
        var socket = await client.ConnectAsync(new Uri(Server.BaseAddress, $"ws?access_token={apiKey}"), CancellationToken.None);
        return new TestSocket(socket);
    }
}

/// <summary>Job states as the Gateway would answer them: only the owner (or an admin key) sees a job.</summary>
public sealed class FakeSnapshots : IJobSnapshotSource
{
    readonly ConcurrentDictionary<Guid, string> owners = new();

    public void Add(Guid jobId, string owner) => owners[jobId] = owner;

    /// <summary>Jobs whose state the Gateway cannot give right now.</summary>
    public ConcurrentDictionary<Guid, bool> Unavailable { get; } = new();

    public Task<JsonElement?> GetAsync(Guid jobId, string apiKey, CancellationToken cancellationToken)
    {
        if (Unavailable.ContainsKey(jobId))
        {
            throw new HttpRequestException("gateway down", null, System.Net.HttpStatusCode.ServiceUnavailable);
        }

        var user = apiKey switch { "dev-admin-key" => "admin", "dev-user-key" => "demo", _ => "?" };
        if (!owners.TryGetValue(jobId, out var owner) || (user != "admin" && user != owner))
        {
            return Task.FromResult<JsonElement?>(null);
        }

        var json = JsonSerializer.Serialize(new { id = jobId, status = "processing", owner, progress = new { percent = 40 } });
        return Task.FromResult<JsonElement?>(JsonDocument.Parse(json).RootElement.Clone());
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
