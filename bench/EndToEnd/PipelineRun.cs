using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Workflow.Contracts.V1;

namespace Workflow.Bench.EndToEnd;

/// <summary>Jobs through the whole pipeline: submitted over HTTP, timed until their JobCompleted event arrives.</summary>
public sealed class PipelineRun(BenchOptions options)
{
    readonly ConcurrentDictionary<Guid, long> finished = new();
    readonly ConcurrentDictionary<Guid, string> faulted = new();

    public IReadOnlyDictionary<Guid, string> Faulted => faulted;

    public async Task<(RunResult EndToEnd, IReadOnlyList<double> AcceptMs)> RunAsync(int count)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(options.RabbitHost, options.RabbitVirtualHost, h =>
            {
                h.Username(options.RabbitUser);
                h.Password(options.RabbitPassword);
            });
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e =>
            {
                e.Handler<JobCompleted>(context =>
                {
                    finished[context.Message.JobId] = Stopwatch.GetTimestamp();
                    return Task.CompletedTask;
                });
                e.Handler<JobFaulted>(context =>
                {
                    finished[context.Message.JobId] = Stopwatch.GetTimestamp();
                    faulted[context.Message.JobId] = context.Message.Reason;
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = options.Gateway, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            var submitted = new ConcurrentDictionary<Guid, long>();
            var accepted = new ConcurrentBag<double>();
            using var gate = new SemaphoreSlim(options.Concurrency);
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var before = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsJsonAsync("/api/jobs", Job(i));
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        throw new InvalidOperationException($"submission {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }

                    var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                    submitted[id] = before;
                    accepted.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
                }
                finally
                {
                    gate.Release();
                }
            }));

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60 + count);
            while (submitted.Keys.Any(id => !finished.ContainsKey(id)))
            {
                if (DateTime.UtcNow > deadline)
                {
                    var missing = submitted.Keys.Count(id => !finished.ContainsKey(id));
                    throw new TimeoutException($"{missing} of {count} jobs did not finish in time");
                }

                await Task.Delay(50);
            }

            var last = submitted.Keys.Max(id => finished[id]);
            var latencies = submitted.Select(s => Stopwatch.GetElapsedTime(s.Value, finished[s.Key]).TotalMilliseconds).ToList();
            return (new RunResult(count, Stopwatch.GetElapsedTime(start, last).TotalSeconds, latencies), [.. accepted]);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    object Job(int i) => new
    {
        type = JobTypes.ImageGeneration,
        priority = "normal",
        input = new
        {
            basePrompt = $"benchmark poster {i}",
            attributes = new Dictionary<string, string[]>
            {
                ["style"] = ["ink", "oil", "pastel"],
                ["subject"] = ["fox", "owl", "lighthouse"],
            },
            count = options.ImagesPerJob,
            width = options.Size,
            height = options.Size,
        },
    };
}
