using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;
using Xunit.Abstractions;

namespace Workflow.IntegrationTests;

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
