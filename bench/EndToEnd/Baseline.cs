using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;

namespace Workflow.Bench.EndToEnd;

/// <summary>A message the baseline publishes to itself.</summary>
public sealed record BenchPing(Guid Id);

/// <summary>Raw MassTransit on the same broker: publish to a temporary queue, consume, nothing else.</summary>
public static class Baseline
{
    public static async Task<RunResult> RunAsync(BenchOptions options, int count)
    {
        var consumed = new ConcurrentDictionary<Guid, long>();
        var all = new TaskCompletionSource();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(options.RabbitHost, options.RabbitVirtualHost, h =>
            {
                h.Username(options.RabbitUser);
                h.Password(options.RabbitPassword);
            });
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e => e.Handler<BenchPing>(context =>
            {
                consumed[context.Message.Id] = Stopwatch.GetTimestamp();
                if (consumed.Count == count)
                {
                    all.TrySetResult();
                }

                return Task.CompletedTask;
            }));
        });
        await bus.StartAsync();
        try
        {
            var sent = new ConcurrentDictionary<Guid, long>();
            using var gate = new SemaphoreSlim(options.Concurrency);
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
            {
                await gate.WaitAsync();
                try
                {
                    var id = Guid.NewGuid();
                    sent[id] = Stopwatch.GetTimestamp();
                    await bus.Publish(new BenchPing(id));
                }
                finally
                {
                    gate.Release();
                }
            }));
            await all.Task.WaitAsync(TimeSpan.FromMinutes(5));
            var seconds = Stopwatch.GetElapsedTime(start, consumed.Values.Max()).TotalSeconds;
            return new RunResult(count, seconds, [.. sent.Select(s => Stopwatch.GetElapsedTime(s.Value, consumed[s.Key]).TotalMilliseconds)]);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
