using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

/// <summary>
/// The platform with its ImageGenerator on a scripted remote image API, and retry policies short enough to watch:
/// one immediate retry, then up to three redeliveries 500 ms, 1000 ms, 1500 ms apart (no jitter).
/// </summary>
public class ReliabilitySystem : WorkflowSystem
{
    public ScriptedImageApi ImageApi { get; } = new();

    protected override IReadOnlyList<string> Services => ["Orchestrator", "CombinationAnalyzer", "PromptEnhancer", "ImageGenerator", "Gateway"];

    protected override void Configure(string name, Dictionary<string, string> environment)
    {
        if (name == "ImageGenerator")
        {
            environment["ImageGenerator__Provider"] = "openai-compatible";
            environment["ImageGenerator__Remote__BaseUrl"] = ImageApi.BaseUrl;
            environment["ImageGenerator__Remote__ApiKey"] = "test-key";
            environment["ImageGenerator__Remote__Model"] = "test-model";
            // The HTTP client's own retries are off: every failure reaches the stage retry policy.
            environment["ImageGenerator__Remote__MaxRetries"] = "0";
            environment["ImageGenerator__Remote__RequestsPerMinute"] = "6000";
            // At most five calls in flight to the provider, however many ImageGenerators run.
            environment["ImageGenerator__Remote__MaxConcurrentCalls"] = "5";
            environment["Retry__Immediate__Limit"] = "1";
            environment["Retry__Redelivery__Kind"] = "Linear";
            environment["Retry__Redelivery__Limit"] = "3";
            environment["Retry__Redelivery__InitialMilliseconds"] = "500";
            environment["Retry__Redelivery__IncrementMilliseconds"] = "500";
            environment["Retry__Redelivery__FullJitter"] = "false";
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await ImageApi.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ReliabilitySystemCollection : ICollectionFixture<ReliabilitySystem>
{
    public const string Name = "reliability system";
}

[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_the_image_provider_fails(ReliabilitySystem system, ITestOutputHelper output)
{
    [Fact]
    public async Task Three_transient_failures_are_retried_with_the_configured_backoff_and_the_history_shows_each_retry_and_its_delay()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var marker = $"flaky {Guid.NewGuid():N}";

        var id = await Jobs.SubmitAsync(user, marker, count: 1);
        var job = await Jobs.WaitUntilFinishedAsync(user, id, system);

        Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{system.Logs()}");
        // Delivery 1: fails, immediate retry fails; redelivery after 500 ms: fails, immediate retry succeeds.
        var requests = system.ImageApi.For(marker);
        Assert.Equal([503, 503, 503, 200], requests.Select(r => r.Status));
        var redeliveryGap = requests[2].At - requests[1].At;
        Assert.True(redeliveryGap >= TimeSpan.FromMilliseconds(500), $"redelivered after {redeliveryGap.TotalMilliseconds} ms");
        output.WriteLine($"redelivery came {redeliveryGap.TotalMilliseconds:0} ms after the failure it retried (backoff 500 ms)");

        var retries = (await History(user, id)).Where(m => m.Contains(" retry ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["immediate retry 1 of 1 in 0 ms", "redelivery retry 1 of 3 in 500 ms", "immediate retry 1 of 1 in 0 ms"],
            retries.Select(m => m[(m.LastIndexOf("; ", StringComparison.Ordinal) + 2)..]));
        Assert.All(retries, m => Assert.StartsWith("Generating failed (transient): ", m, StringComparison.Ordinal));
        var errors = job.GetProperty("result").GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.False(e.GetProperty("permanent").GetBoolean()));
    }

    [Fact]
    public async Task A_permanent_failure_faults_the_job_at_once_leaves_the_command_in_the_error_queue_and_a_retry_renders_only_what_is_missing()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var marker = $"refuse {Guid.NewGuid():N}";

        var id = await Jobs.SubmitAsync(user, marker, count: 3);
        var job = await Jobs.WaitUntilFinishedAsync(user, id, system);

        Assert.True(job.GetProperty("status").GetString() == "failed", $"job ended {job}\n{system.Logs()}");
        var failure = job.GetProperty("result").GetProperty("failure");
        Assert.Equal("Generating", failure.GetProperty("stage").GetString());
        Assert.Equal("permanent", failure.GetProperty("classification").GetString());
        Assert.Equal(1, failure.GetProperty("attempts").GetInt32());
        Assert.Contains("400", failure.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal([200, 400], system.ImageApi.For(marker).Select(r => r.Status));
        var deadLetters = await system.VirtualHost.PeekAsync("generate-images_error");
        Assert.Contains(deadLetters, m => m.Contains(id.ToString(), StringComparison.Ordinal));

        using var retry = await user.PostAsync($"/api/jobs/{id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await Wait.UntilAsync(async () => (await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("status").GetString() != "failed",
            "the retried job did not resume");

        job = await Jobs.WaitUntilFinishedAsync(user, id, system);

        Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{system.Logs()}");
        Assert.Equal(3, job.GetProperty("result").GetProperty("images").GetArrayLength());
        // The first image was kept from the failed run: each image was rendered exactly once.
        var rendered = system.ImageApi.For(marker).Where(r => r.Status == 200).ToList();
        Assert.Equal(3, rendered.Count);
        Assert.Equal(3, rendered.Select(r => r.Prompt).Distinct().Count());
    }

    [Fact]
    public async Task A_killed_image_generator_is_replaced_and_the_job_completes_with_no_finished_image_rendered_again()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var marker = $"slow {Guid.NewGuid():N}";
        var id = await Jobs.SubmitAsync(user, marker, count: 4);
        var folder = Path.Combine(system.BlobRoot, "jobs", id.ToString(), "images");
        await Wait.UntilAsync(() => Directory.Exists(folder) && Directory.GetFiles(folder).Length >= 2,
            $"no images were written\n{system.Logs()}", TimeSpan.FromSeconds(60));

        await system.Instance("ImageGenerator").KillAsync();
        var killedAt = DateTime.UtcNow;
        var done = Directory.GetFiles(folder).Select(Path.GetFileName).ToHashSet();
        var renderedBeforeKill = system.ImageApi.For(marker).Where(r => r.Status == 200).Select(r => r.Prompt).ToHashSet();
        await system.StartAnotherAsync("ImageGenerator");
        var readyAt = DateTime.UtcNow;

        var job = await Jobs.WaitUntilFinishedAsync(user, id, system);

        Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{system.Logs()}");
        var images = job.GetProperty("result").GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(4, images.Count);
        Assert.Equal(4, Directory.GetFiles(folder).Length);
        var afterKill = system.ImageApi.For(marker).Where(r => r.At > killedAt).ToList();
        Assert.NotEmpty(afterKill);
        // What was stored before the kill is reused from its checkpoint; only missing images are requested again.
        Assert.Equal(4 - done.Count, afterKill.Count);
        Assert.DoesNotContain(afterKill, r => renderedBeforeKill.Contains(r.Prompt) && StoredBefore(r.Prompt));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ImageGenerator kill -9 with {done.Count} of 4 images stored: new instance ready {(readyAt - killedAt).TotalSeconds:0.0} s after the kill, first provider call {(afterKill[0].At - killedAt).TotalSeconds:0.0} s after it"));

        bool StoredBefore(string prompt) =>
            images.Any(i => i.GetProperty("prompt").GetString() == prompt && done.Any(d => i.GetProperty("url").GetString()!.Contains(d!, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_terminated_image_generator_finishes_the_work_in_hand_within_a_bound_and_nothing_is_rendered_twice()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var marker = $"slow {Guid.NewGuid():N}";
        var id = await Jobs.SubmitAsync(user, marker, count: 4);
        var folder = Path.Combine(system.BlobRoot, "jobs", id.ToString(), "images");
        await Wait.UntilAsync(() => Directory.Exists(folder) && Directory.GetFiles(folder).Length >= 1,
            $"no images were written\n{system.Logs()}", TimeSpan.FromSeconds(60));

        var requestedBeforeStop = system.ImageApi.For(marker).Count;
        var stopping = DateTime.UtcNow;
        await system.Instance("ImageGenerator").TerminateAsync(TimeSpan.FromSeconds(40));
        var stopped = DateTime.UtcNow;
        var stored = Directory.GetFiles(folder).Length;
        await system.StartAnotherAsync("ImageGenerator");

        var job = await Jobs.WaitUntilFinishedAsync(user, id, system);
        Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{system.Logs()}");
        var requests = system.ImageApi.For(marker);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SIGTERM: stopped in {(stopped - stopping).TotalSeconds:0.0} s with {stored} of 4 images stored ({requestedBeforeStop} requested before the signal)"));
        // What was in hand when the signal came was finished and stored, not abandoned (MassTransit lets a consumer
        // finish within its stop timeout; what it had not started stays in the queue for the next instance) ...
        Assert.True(stored >= requestedBeforeStop, $"{stored} images stored, {requestedBeforeStop} were being rendered when the signal came");
        // ... so each image was requested exactly once in all.
        Assert.Equal(4, requests.Count);
        Assert.Equal(4, requests.Select(r => r.Prompt).Distinct().Count());
        Assert.True(stopped - stopping < TimeSpan.FromSeconds(30), "the stop was not bounded");
    }

    static async Task<List<string>> History(HttpClient user, Guid id) =>
        [.. (await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}/history")).EnumerateArray().Select(h => h.GetProperty("message").GetString()!)];
}

[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_a_high_priority_job_arrives_behind_a_backlog(ReliabilitySystem system, ITestOutputHelper output)
{
    [Fact]
    public async Task It_overtakes_the_low_priority_jobs_waiting_for_the_image_generator()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        // Five renders at a time, 1.5 s each: thirty low jobs make a queue several renders deep.
        var marker = $"slow priority {Guid.NewGuid():N}";
        var low = (await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Jobs.SubmitAsync(user, $"{marker} low {i}", priority: "low")))).ToList();
        await Wait.UntilAsync(() => system.ImageApi.For(marker).Count >= 5,
            $"the low jobs did not reach the image generator\n{system.Logs()}", TimeSpan.FromSeconds(60));

        var high = await Jobs.SubmitAsync(user, $"{marker} high", priority: "high");
        var job = await Jobs.WaitUntilFinishedAsync(user, high, system);
        Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{system.Logs()}");

        var order = system.ImageApi.For(marker).Select(r => r.Prompt.Split(',')[0]).ToList();
        var position = order.IndexOf($"{marker} high");
        output.WriteLine($"the high job was rendered {position + 1}th of {order.Count} so far");
        // Without priorities it would be 31st; only renders already running (five at a time) may go first.
        Assert.InRange(position, 0, 14);
        foreach (var id in low)
        {
            await Jobs.WaitUntilFinishedAsync(user, id, system);
        }
    }

}

[Collection(ReliabilitySystemCollection.Name)]
public sealed class When_three_image_generators_share_a_provider(ReliabilitySystem system, ITestOutputHelper output)
{
    [Fact]
    public async Task No_more_calls_than_the_providers_global_limit_are_ever_in_flight()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        // Two more instances: fifteen renders could run at once, the provider allows five.
        var extra = new[] { await system.StartAnotherAsync("ImageGenerator"), await system.StartAnotherAsync("ImageGenerator") };
        try
        {
            var marker = $"slow limit {Guid.NewGuid():N}";
            var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Jobs.SubmitAsync(user, $"{marker} job {i}")));
            foreach (var id in ids)
            {
                var job = await Jobs.WaitUntilFinishedAsync(user, id, system);
                Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{system.Logs()}");
            }

            // Each call takes the provider 1.5 s; the next may start only once a slot is released.
            var starts = system.ImageApi.For(marker).Select(r => r.At).Order().ToList();
            var mostAtOnce = starts.Max(start => starts.Count(other => other <= start && other > start - TimeSpan.FromMilliseconds(1450)));
            output.WriteLine($"{starts.Count} provider calls from 3 instances, at most {mostAtOnce} in flight at once (limit 5)");
            Assert.Equal(20, starts.Count);
            Assert.InRange(mostAtOnce, 1, 5);
            // The limit is what bounds them, not a lack of work: all five slots were used.
            Assert.Equal(5, mostAtOnce);
        }
        finally
        {
            foreach (var instance in extra)
            {
                await instance.DisposeAsync();
            }
        }
    }
}
