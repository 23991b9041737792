using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MassTransit;
using Workflow.Bench.WebSockets;
using Workflow.Contracts.V1;

// WebSocket fan-out benchmark: N connections to one Notifier, each subscribed to every job ("*", admin key);
// E job events published on RabbitMQ; latency = arrival at the client - the event's publish time (one machine, one clock).
// In the same run, a bare MassTransit consumer on the same broker, in its own process, gives the publish → consume floor;
// with --notifier-pid the Notifier's resident memory and CPU are read beside the consumer's.
var settings = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal) && x.i + 1 < args.Length)
    .ToDictionary(x => x.a[2..], x => args[x.i + 1]);
int Number(string name, int fallback) => settings.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var rabbitHost = settings.GetValueOrDefault("rabbit-host", "127.0.0.1");
if (settings.GetValueOrDefault("role") == "bare-consumer")
{
    return await BareConsumer.RunAsync(Guid.Parse(settings["job"]), rabbitHost);
}

var connections = Number("connections", 10_000);
var events = Number("events", 20);
var notifier = new Uri(settings.GetValueOrDefault("notifier", "ws://127.0.0.1:5095/ws"));
var key = settings.GetValueOrDefault("api-key", "dev-admin-key");
using var notifierProcess = settings.TryGetValue("notifier-pid", out var pid) ? Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture)) : null;
var notifierAlone = ProcessUse.Read(notifierProcess);

var jobId = Guid.NewGuid();
await using var bare = await BareConsumer.StartAsync(jobId, rabbitHost);
var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(rabbitHost, "/", h =>
{
    h.Username("guest");
    h.Password("guest");
}));
await bus.StartAsync();

var latencies = new ConcurrentBag<Latency>();
var received = 0L;
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
var connectSeconds = connectWatch.Elapsed.TotalSeconds;
Console.WriteLine($"{sockets.Count} connections open in {connectSeconds:0.0} s");

var readers = sockets.Select(socket => Task.Run(async () =>
{
    var buffer = new byte[8 * 1024];
    try
    {
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            if (FrameReader.Read(buffer.AsSpan(0, result.Count), jobId, DateTime.UtcNow) is { } latency)
            {
                latencies.Add(latency);
                Interlocked.Increment(ref received);
            }
        }
    }
    catch (Exception e) when (e is WebSocketException or OperationCanceledException)
    {
        // The server closed this client (counted as missing), or the run is over and aborted it.
    }
})).ToList();

await Task.Delay(2000);
var notifierBefore = ProcessUse.Read(notifierProcess);
var bareBefore = ProcessUse.Read(bare.Process);
// The first event also pays for first calls (the publisher's channel, each process's first consume): CPU from the
// second event on is what an event costs once running.
(ProcessUse? Notifier, ProcessUse? Bare) running = (null, null);
for (var i = 1; i <= events; i++)
{
    if (i == 2)
    {
        running = (ProcessUse.Read(notifierProcess), ProcessUse.Read(bare.Process));
    }

    await bus.Publish(new JobStatusChanged(jobId, "bench", "processing", new JobProgress(i, events, "Generating", $"event {i}", i * 100 / events), i, DateTime.UtcNow));
    await Task.Delay(250);
}

var expected = (long)connections * events;
var deadline = DateTime.UtcNow.AddSeconds(60);
while ((Interlocked.Read(ref received) < expected || bare.Latencies.Count < events) && DateTime.UtcNow < deadline)
{
    await Task.Delay(100);
}

var notifierAfter = ProcessUse.Read(notifierProcess);
var bareAfter = ProcessUse.Read(bare.Process);
await bus.StopAsync();

string F(double? v, string format = "0.0") => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
double P(IEnumerable<Latency> values, double p)
{
    var sorted = values.Select(l => l.Milliseconds).Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

string Row(string metric, Func<IEnumerable<Latency>, double> measure, IEnumerable<Latency> socketSide, IEnumerable<Latency> bareSide, bool ratio = true)
{
    var (ws, floor) = (measure(socketSide), measure(bareSide));
    return string.Create(CultureInfo.InvariantCulture, $"| {metric} | {F(ws)} | {F(floor)} | {(ratio ? F(ws / floor) + "x" : "")} |");
}

double? Cpu(ProcessUse? before, ProcessUse? after) => before is null || after is null ? null : (after.Cpu - before.Cpu).TotalMilliseconds;
var bareLatencies = bare.Latencies.ToArray();
var laterSocket = latencies.Where(l => l.Sequence > 1).ToArray();
var laterBare = bareLatencies.Where(l => l.Sequence > 1).ToArray();
var (notifierCpu, bareCpu) = (Cpu(notifierBefore, notifierAfter), Cpu(bareBefore, bareAfter));
var (notifierRunning, bareRunning) = (Cpu(running.Notifier, notifierAfter), Cpu(running.Bare, bareAfter));
var laterFrames = laterSocket.Length;
var table = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# WebSocket fan-out, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores shared by the Notifier, RabbitMQ, the bare consumer and these {connections} clients; {events} events, one every 250 ms, each to every client. {connections} connections opened in {connectSeconds:0.0} s.")
    .AppendLine()
    .AppendLine("| metric | event → WebSocket client | publish → bare MassTransit consumer | ratio |")
    .AppendLine("| --- | ---: | ---: | ---: |")
    .AppendLine(CultureInfo.InvariantCulture, $"| deliveries | {received} of {expected} | {bareLatencies.Length} of {events} | |")
    .AppendLine(Row("latency p50 (ms)", l => P(l, 50), latencies, bareLatencies))
    .AppendLine(Row("latency p99 (ms)", l => P(l, 99), latencies, bareLatencies))
    .AppendLine(Row("latency max (ms)", l => P(l, 100), latencies, bareLatencies, ratio: false))
    .AppendLine(Row("latency p99 from the second event on (ms)", l => P(l, 99), laterSocket, laterBare))
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"The first event also carries the publisher's first publish on its channel, in both columns.")
    .AppendLine()
    .AppendLine("| resources | Notifier | bare MassTransit consumer |")
    .AppendLine("| --- | ---: | ---: |")
    .AppendLine(CultureInfo.InvariantCulture, $"| resident memory with no client (MB) | {F(notifierAlone?.ResidentMb)} | |")
    .AppendLine(CultureInfo.InvariantCulture, $"| resident memory before the events (MB): the Notifier with {connections} connections open | {F(notifierBefore?.ResidentMb)} | {F(bareBefore?.ResidentMb)} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| resident memory per open connection (KB) | {F((notifierBefore?.ResidentMb - notifierAlone?.ResidentMb) * 1024 / connections)} | |")
    .AppendLine(CultureInfo.InvariantCulture, $"| resident memory after the events, now / peak (MB) | {F(notifierAfter?.ResidentMb)} / {F(notifierAfter?.PeakMb)} | {F(bareAfter?.ResidentMb)} / {F(bareAfter?.PeakMb)} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| CPU from the first publish to the last delivery (ms) | {F(notifierCpu, "0")} | {F(bareCpu, "0")} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| CPU per event from the second event on (ms) | {F(notifierRunning / (events - 1), "0.00")} | {F(bareRunning / (events - 1), "0.00")} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| CPU per delivery from the second event on (µs): a WebSocket frame, a consumed message | {F(notifierRunning * 1000 / laterFrames)} | {F(bareRunning * 1000 / laterBare.Length)} |")
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
