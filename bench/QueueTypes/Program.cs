using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

// What a message costs the broker on a classic priority queue (the local run's stage queues), on a plain classic queue
// and on a quorum queue (the cluster's): persistent messages published with confirms, consumed with acks, as the
// services do. Runs in a
// virtual host of its own, made and deleted through the management API. Rounds alternate the two types, so the
// machine's other load falls on both alike; the median round is reported.
var messages = Option("--messages", 10_000);
var rounds = Option("--rounds", 5);
var size = Option("--size", 1_024);
var inFlight = Option("--in-flight", 64);
var host = Environment.GetEnvironmentVariable("WORKFLOW_RABBITMQ_HOST") ?? "127.0.0.1";
var management = new HttpClient { BaseAddress = new Uri(Environment.GetEnvironmentVariable("WORKFLOW_RABBITMQ_MANAGEMENT") ?? $"http://{host}:15672") };
management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("guest:guest")));
var broker = BrokerPid() ?? throw new InvalidOperationException("No beam.smp process: run this on the broker's machine.");
var vhost = $"wf-bench-queue-types-{Guid.NewGuid():N}";
(await management.PutAsJsonAsync($"/api/vhosts/{vhost}", new { })).EnsureSuccessStatusCode();
(await management.PutAsJsonAsync($"/api/permissions/{vhost}/guest", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
try
{
    await using var connection = await new ConnectionFactory { HostName = host, VirtualHost = vhost }.CreateConnectionAsync();
    var body = new byte[size];
    var results = new Dictionary<string, List<(double PerSecond, double CpuMs)>> { ["classic priority"] = [], ["classic"] = [], ["quorum"] = [] };
    // One unmeasured round of each warms the broker's and this process's code paths.
    for (var round = -1; round < rounds; round++)
    {
        foreach (var type in results.Keys)
        {
            var result = await RunAsync(connection, type, body);
            if (round >= 0)
            {
                results[type].Add(result);
            }
        }
    }

    Console.WriteLine($"{messages} persistent messages of {size} bytes per round, {inFlight} unconfirmed at most, prefetch 16, manual acks; median of {rounds} rounds");
    Console.WriteLine();
    Console.WriteLine("| queue | messages/s | broker CPU per message |");
    Console.WriteLine("| --- | ---: | ---: |");
    foreach (var (type, runs) in results)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {type} | {Median(runs.Select(r => r.PerSecond)):0} | {Median(runs.Select(r => r.CpuMs)) * 1000:0} µs |"));
    }
}
finally
{
    await management.DeleteAsync($"/api/vhosts/{vhost}");
}

async Task<(double PerSecond, double CpuMs)> RunAsync(IConnection connection, string type, byte[] body)
{
    var queue = $"bench-{type.Replace(' ', '-')}";
    var arguments = type switch
    {
        "quorum" => new Dictionary<string, object?> { ["x-queue-type"] = "quorum" },
        "classic priority" => new Dictionary<string, object?> { ["x-max-priority"] = 3 },
        _ => new Dictionary<string, object?>(),
    };
    await using var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    await using var consumer = await connection.CreateChannelAsync();
    await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments);
    await consumer.BasicQosAsync(0, 16, false);
    var consumed = 0;
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var subscription = new AsyncEventingBasicConsumer(consumer);
    subscription.ReceivedAsync += async (_, delivery) =>
    {
        await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        if (Interlocked.Increment(ref consumed) == messages)
        {
            done.TrySetResult();
        }
    };
    var tag = await consumer.BasicConsumeAsync(queue, autoAck: false, subscription);

    var cpuBefore = CpuTicks(broker);
    var started = Stopwatch.GetTimestamp();
    using var window = new SemaphoreSlim(inFlight);
    var properties = new BasicProperties { Persistent = true, Priority = 2 };
    var publishes = Enumerable.Range(0, messages).Select(async _ =>
    {
        await window.WaitAsync();
        try
        {
            await publisher.BasicPublishAsync("", queue, mandatory: true, properties, body);
        }
        finally
        {
            window.Release();
        }
    });
    await Task.WhenAll(publishes);
    await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var cpuSeconds = (CpuTicks(broker) - cpuBefore) / 100.0;

    await consumer.BasicCancelAsync(tag);
    await publisher.QueueDeleteAsync(queue);
    return (messages / seconds, cpuSeconds * 1000 / messages);
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

// The broker's Erlang VM; user + system time in clock ticks (100 a second on Linux).
static int? BrokerPid() => Directory.EnumerateDirectories("/proc")
    .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
    .Where(pid => pid > 0 && File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "beam.smp")
    .Cast<int?>()
    .FirstOrDefault();

static long CpuTicks(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}
