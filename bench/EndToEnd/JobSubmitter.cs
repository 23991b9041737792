using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Workflow.Contracts.V1;

namespace Workflow.Bench.EndToEnd;

/// <summary>One <c>POST /api/jobs</c>: when it was due and started, how long the <c>202</c> took, the job id or why it was refused.</summary>
public sealed record Submission(long DueAt, long StartedAt, double AcceptMs, Guid? JobId, string? Error);

/// <summary>Submits <c>image-generation</c> jobs of the benchmark's shape to the Gateway and remembers every job it got back.</summary>
public sealed class JobSubmitter : IDisposable
{
    readonly BenchOptions options;
    readonly HttpClient http;
    readonly ConcurrentBag<Guid> accepted = [];
    readonly Dictionary<string, string[]> attributes;

    public JobSubmitter(BenchOptions options)
    {
        this.options = options;
        http = new HttpClient { BaseAddress = options.Gateway, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        attributes = Attributes(options.ImagesPerJob);
    }

    /// <summary>Every job the Gateway accepted in this run, warm-up included.</summary>
    public IReadOnlyCollection<Guid> Accepted => accepted;

    /// <summary>Submits job <paramref name="index"/>; <paramref name="dueAt"/> is when it was meant to start (the open loop's schedule).</summary>
    public async Task<Submission> SubmitAsync(int index, long dueAt)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.PostAsJsonAsync("/api/jobs", Job(index));
            var acceptMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return new Submission(dueAt, started, acceptMs, null, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            accepted.Add(id);
            return new Submission(dueAt, started, acceptMs, id, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Submission(dueAt, started, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, e.Message);
        }
    }

    public void Dispose() => http.Dispose();

    object Job(int i) => new
    {
        type = JobTypes.ImageGeneration,
        priority = "normal",
        input = new
        {
            basePrompt = $"benchmark poster {i}",
            attributes,
            count = options.ImagesPerJob,
            width = options.Size,
            height = options.Size,
        },
    };

    /// <summary>Style × subject (9 combinations); a bigger count gets more dimensions so that it has enough distinct combinations.</summary>
    static Dictionary<string, string[]> Attributes(int count)
    {
        var result = new Dictionary<string, string[]>
        {
            ["style"] = ["ink", "oil", "pastel"],
            ["subject"] = ["fox", "owl", "lighthouse"],
        };
        long product = 9;
        while (product < count)
        {
            // The Gateway takes at most 50 values per dimension.
            var values = (int)Math.Min(50, Math.Ceiling(count / (double)product));
            result[$"detail{result.Count - 1}"] = [.. Enumerable.Range(1, values).Select(v => $"detail {v}")];
            product *= values;
        }

        return result;
    }
}
