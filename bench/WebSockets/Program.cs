using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MassTransit;
using Workflow.Contracts.V1;

// WebSocket fan-out benchmark: N connections to one Notifier, each subscribed to every job ("*", admin key);
// E job events published on RabbitMQ; latency = arrival at the client - the event's publish time (one process, one clock).
// In the same run, a bare MassTransit consumer on the same broker gives the publish → consume floor.
var settings = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal) && x.i + 1 < args.Length)
    .ToDictionary(x => x.a[2..], x => args[x.i + 1]);
int Number(string name, int fallback) => settings.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var connections = Number("connections", 10_000);
var events = Number("events", 20);
var notifier = new Uri(settings.GetValueOrDefault("notifier", "ws://127.0.0.1:5095/ws"));
var key = settings.GetValueOrDefault("api-key", "dev-admin-key");

var latencies = new ConcurrentBag<double>();
var received = 0L;
var jobId = Guid.NewGuid();
var sockets = new List<ClientWebSocket>(connections);
var connectWatch = Stopwatch.StartNew();
using var gate = new SemaphoreSlim(200);
var connectTasks = Enumerable.Range(0, connections).Select(async _ =>
{
    await gate.WaitAsync();
    try
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {key}");
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(notifier, CancellationToken.None);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "subscribe", jobId = "*" }), WebSocketMessageType.Text, true, CancellationToken.None);
        return socket;
    }
    finally
    {
        gate.Release();
    }
}).ToList();
sockets.AddRange(await Task.WhenAll(connectTasks));
Console.WriteLine($"{sockets.Count} connections open in {connectWatch.Elapsed.TotalSeconds:0.0} s");

var readers = sockets.Select(socket => Task.Run(async () =>
{
    var buffer = new byte[8 * 1024];
    try
    {
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var now = DateTime.UtcNow;
            using var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (message.RootElement.TryGetProperty("jobId", out var id) && id.ValueKind == JsonValueKind.String && id.GetGuid() == jobId)
            {
                latencies.Add((now - message.RootElement.GetProperty("timestamp").GetDateTime().ToUniversalTime()).TotalMilliseconds);
                Interlocked.Increment(ref received);
            }
        }
    }
    catch (Exception e) when (e is WebSocketException or OperationCanceledException)
    {
        // The server closed this client (counted as missing), or the run is over and aborted it.
    }
})).ToList();

var baseline = new ConcurrentBag<double>();
var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
{
    cfg.Host(settings.GetValueOrDefault("rabbit-host", "127.0.0.1"), "/", h =>
    {
        h.Username("guest");
        h.Password("guest");
    });
    cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e => e.Handler<JobStatusChanged>(context =>
    {
        if (context.Message.JobId == jobId)
        {
            baseline.Add((DateTime.UtcNow - context.Message.Timestamp).TotalMilliseconds);
        }

        return Task.CompletedTask;
    }));
});
await bus.StartAsync();
await Task.Delay(2000);

for (var i = 1; i <= events; i++)
{
    await bus.Publish(new JobStatusChanged(jobId, "bench", "processing", new JobProgress(i, events, "Generating", $"event {i}", i * 100 / events), i, DateTime.UtcNow));
    await Task.Delay(250);
}

var expected = (long)connections * events;
var deadline = DateTime.UtcNow.AddSeconds(60);
while (Interlocked.Read(ref received) < expected && DateTime.UtcNow < deadline)
{
    await Task.Delay(100);
}

await bus.StopAsync();
string F(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
double P(ConcurrentBag<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

var table = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# WebSocket fan-out, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores shared by the Notifier, RabbitMQ and these {connections} clients; {events} events, one every 250 ms, each to every client.")
    .AppendLine()
    .AppendLine("| metric | event → WebSocket client | publish → bare MassTransit consumer | ratio |")
    .AppendLine("| --- | ---: | ---: | ---: |")
    .AppendLine(CultureInfo.InvariantCulture, $"| deliveries | {received} of {expected} | {baseline.Count} of {events} | |")
    .AppendLine(CultureInfo.InvariantCulture, $"| latency p50 (ms) | {F(P(latencies, 50))} | {F(P(baseline, 50))} | {F(P(latencies, 50) / P(baseline, 50))}x |")
    .AppendLine(CultureInfo.InvariantCulture, $"| latency p99 (ms) | {F(P(latencies, 99))} | {F(P(baseline, 99))} | {F(P(latencies, 99) / P(baseline, 99))}x |")
    .AppendLine(CultureInfo.InvariantCulture, $"| latency max (ms) | {F(latencies.IsEmpty ? double.NaN : latencies.Max())} | {F(baseline.IsEmpty ? double.NaN : baseline.Max())} | |")
    .ToString();
Console.WriteLine(table);
var results = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "results"));
Directory.CreateDirectory(results);
await File.WriteAllTextAsync(Path.Combine(results, $"websockets-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md"), table);

foreach (var socket in sockets)
{
    socket.Abort();
    socket.Dispose();
}

await Task.WhenAll(readers);
return received == expected ? 0 : 1;
