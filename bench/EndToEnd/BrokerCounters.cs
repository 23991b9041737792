using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Workflow.Bench.EndToEnd;

/// <summary>Messages handed to consumers so far (<c>message_stats.deliver_get</c>), per queue of the virtual host.</summary>
public sealed record BrokerSnapshot(IReadOnlyDictionary<string, long> DeliveriesByQueue)
{
    public long Total => DeliveriesByQueue.Values.Sum();

    /// <summary>Deliveries per queue since <paramref name="before"/>, largest first; a queue created since counts from zero, a deleted one is gone.</summary>
    public IReadOnlyList<(string Queue, long Deliveries)> Since(BrokerSnapshot before, string excludedQueue) =>
        [.. DeliveriesByQueue
            .Where(q => q.Key != excludedQueue)
            .Select(q => (q.Key, Math.Max(0, q.Value - before.DeliveriesByQueue.GetValueOrDefault(q.Key))))
            .Where(q => q.Item2 > 0)
            .OrderByDescending(q => q.Item2)
            .ThenBy(q => q.Key, StringComparer.Ordinal)];
}

/// <summary>Reads the queues' message statistics from the RabbitMQ management API.</summary>
public sealed class BrokerCounters : IDisposable
{
    readonly HttpClient http;
    readonly string path;

    public BrokerCounters(BenchOptions options)
    {
        http = new HttpClient { BaseAddress = options.RabbitManagement, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.RabbitUser}:{options.RabbitPassword}")));
        path = $"/api/queues/{Uri.EscapeDataString(options.RabbitVirtualHost)}?columns=name,message_stats.deliver_get";
    }

    public async Task<BrokerSnapshot> ReadAsync()
    {
        var queues = await http.GetFromJsonAsync<JsonElement>(path);
        var deliveries = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var queue in queues.EnumerateArray())
        {
            deliveries[queue.GetProperty("name").GetString()!] =
                queue.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("deliver_get", out var count) ? count.GetInt64() : 0;
        }

        return new BrokerSnapshot(deliveries);
    }

    public void Dispose() => http.Dispose();
}
