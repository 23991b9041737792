using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Workflow.IntegrationTests.Infrastructure;
using Workflow.TestKit;

namespace Workflow.IntegrationTests;

[Collection(WorkflowSystemCollection.Name)]
public sealed class When_a_job_runs_through_every_stage(WorkflowSystem system) : IAsyncLifetime
{
    JobEventRecorder recorder = null!;

    public async Task InitializeAsync() => recorder = await JobEventRecorder.StartAsync(system.VirtualHost);

    public async Task DisposeAsync() => await recorder.DisposeAsync();

    [Fact]
    public async Task Completes_with_a_png_of_the_requested_size_per_image()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);

        using var submitted = await user.PostAsync("/api/jobs", Json(Jobs.ImageGeneration(count: 4, width: 320, height: 240)));

        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, await Describe(submitted));
        var accepted = await ReadJson(submitted);
        var id = accepted.GetProperty("id").GetGuid();
        Assert.Equal($"/api/jobs/{id}", submitted.Headers.Location?.OriginalString);
        Assert.Contains(accepted.GetProperty("status").GetString(), new[] { "pending", "processing" });

        var job = await Jobs.WaitUntilFinishedAsync(user, id, system);
        Assert.True(job.GetProperty("status").GetString() == "completed", $"job ended {job}\n{system.Logs()}");
        Assert.Equal(100, job.GetProperty("progress").GetProperty("percent").GetInt32());
        Assert.Equal("Completed", await system.Database.ScalarAsync<string>("SELECT current_state FROM workflow.jobs WHERE id = @id", ("id", id)));
        // Every message the saga stored with its state was sent and then removed from its outbox.
        await Wait.UntilAsync(async () => await system.Database.ScalarAsync<long>("SELECT count(*) FROM workflow.outbox_messages WHERE job_id = @id", ("id", id)) == 0,
            "the job's saga messages are still in the outbox");

        var images = job.GetProperty("result").GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(4, images.Count);
        Assert.Equal(4, images.Select(i => i.GetProperty("prompt").GetString()).Distinct().Count());
        foreach (var image in images)
        {
            using var download = await user.GetAsync(image.GetProperty("url").GetString());
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
            var (width, height) = PngSize(await download.Content.ReadAsByteArrayAsync());
            Assert.Equal((320, 240), (width, height));
        }

        // One status event per stage dispatched, carrying the milestone reached before it; the images came
        // post-processed, so the Finalizing stage sent no command and no status of its own; JobCompleted says 100 %.
        Assert.Equal([0, 20, 40], recorder.For(id).Select(e => e.Progress.Percent));

        using var history = await user.GetAsync($"/api/jobs/{id}/history");
        var entries = (await ReadJson(history)).EnumerateArray().ToList();
        Assert.Equal(["Submitted", "Analyzing", "Enhancing", "Generating", "Finalizing", "Completed"], entries.Select(h => h.GetProperty("state").GetString()).Distinct());
        Assert.Equal("finalizing done with the images: 4 thumbnails and the manifest",
            Assert.Single(entries, h => h.GetProperty("state").GetString() == "Finalizing").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Only_its_owner_and_an_admin_see_it()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        using var submitted = await user.PostAsync("/api/jobs", Json(Jobs.ImageGeneration(count: 1, width: 64, height: 64)));
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, await Describe(submitted));
        var id = (await ReadJson(submitted)).GetProperty("id").GetGuid();

        using var admin = system.GatewayClient(WorkflowSystem.AdminKey);
        using var other = system.GatewayClient(WorkflowSystem.OtherUserKey);
        using var anonymous = system.GatewayClient(null);

        using var byOwner = await user.GetAsync($"/api/jobs/{id}");
        using var byAdmin = await admin.GetAsync($"/api/jobs/{id}");
        using var byOther = await other.GetAsync($"/api/jobs/{id}");
        using var withoutKey = await anonymous.GetAsync($"/api/jobs/{id}");

        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_gives_one_job()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var key = Guid.NewGuid().ToString();

        var first = await SubmitWithKey(user, key);
        var second = await SubmitWithKey(user, key);

        Assert.Equal(first, second);
        Assert.Equal(1L, await system.Database.ScalarAsync<long>("SELECT count(*) FROM workflow.jobs WHERE id = @id", ("id", first)));
    }

    [Fact]
    public async Task A_second_analysis_of_the_same_owner_avoids_the_combinations_of_the_first()
    {
        using var other = system.GatewayClient(WorkflowSystem.OtherUserKey);
        var marker = Guid.NewGuid().ToString("N")[..8];
        var job = new Dictionary<string, object?>
        {
            ["type"] = "combination-analysis",
            ["input"] = new Dictionary<string, object>
            {
                ["basePrompt"] = "history check",
                ["attributes"] = new Dictionary<string, string[]> { ["style"] = [$"ink-{marker}", $"oil-{marker}"], ["subject"] = ["fox", "owl"] },
                ["count"] = 2,
                ["width"] = 64,
                ["height"] = 64,
            },
        };

        async Task<HashSet<string>> Analyze()
        {
            using var response = await other.PostAsync("/api/jobs", Json(job));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await Describe(response));
            var finished = await Jobs.WaitUntilFinishedAsync(other, (await ReadJson(response)).GetProperty("id").GetGuid(), system);
            Assert.Equal("completed", finished.GetProperty("status").GetString());
            return [.. finished.GetProperty("result").GetProperty("combinations").EnumerateArray()
                .Select(c => $"{c.GetProperty("style").GetString()}/{c.GetProperty("subject").GetString()}")];
        }

        var first = await Analyze();
        var second = await Analyze();

        Assert.Equal(2, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Empty(first.Intersect(second));
    }

    [Fact]
    public async Task A_batch_runs_every_item_as_a_job_and_completes_with_all_their_images()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var items = Enumerable.Range(0, 5).Select(i => Jobs.ImageGeneration(count: 1 + (i % 2), width: 64, height: 64)["input"]).ToArray();
        var batch = new Dictionary<string, object?> { ["type"] = "batch-processing", ["input"] = new Dictionary<string, object?> { ["items"] = items } };

        using var submitted = await user.PostAsync("/api/jobs", Json(batch));
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, await Describe(submitted));
        var id = (await ReadJson(submitted)).GetProperty("id").GetGuid();
        var job = await Jobs.WaitUntilFinishedAsync(user, id, system);

        Assert.Equal("completed", job.GetProperty("status").GetString());
        var results = job.GetProperty("result").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal("completed", r.GetProperty("status").GetString()));
        Assert.Equal(7, results.Sum(r => r.GetProperty("imageCount").GetInt32()));
        foreach (var item in results)
        {
            var child = await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{item.GetProperty("jobId").GetGuid()}");
            Assert.Equal("completed", child.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Cancelling_during_generation_stops_it_within_a_second_and_writes_no_more_images()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var job = Jobs.ImageGeneration(count: 4, width: 2048, height: 2048);
        using var submitted = await user.PostAsync("/api/jobs", Json(job));
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, await Describe(submitted));
        var id = (await ReadJson(submitted)).GetProperty("id").GetGuid();
        await Wait.UntilAsync(
            async () => (await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("progress").GetProperty("stage").GetString() == "Generating",
            "the job never reached Generating", TimeSpan.FromSeconds(60));

        var cancelledAt = DateTime.UtcNow;
        using var cancel = await user.PostAsync($"/api/jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await Wait.UntilAsync(
            async () => (await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("status").GetString() == "cancelled",
            "not cancelled within a second", cancelledAt.AddSeconds(1) - DateTime.UtcNow);

        // The render in flight at the cancellation must not be written: wait until the renderer has let the command go.
        await Wait.UntilAsync(() => system.Instance("ImageGenerator").Output.Split('\n')
                .Any(line => line.Contains(id.ToString(), StringComparison.Ordinal) && line.Contains("the job moved on", StringComparison.Ordinal)),
            $"the ImageGenerator did not stop rendering job {id}\n{system.Logs()}");
        var folder = Path.Combine(system.BlobRoot, "jobs", id.ToString(), "images");
        var images = Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
        Assert.True(images.Length < 4, $"{images.Length} images written");
        Assert.All(images, image => Assert.True(File.GetLastWriteTimeUtc(image) < cancelledAt.AddMilliseconds(500), $"{image} written after the cancellation"));
    }

    [Fact]
    public async Task Racing_submissions_with_one_unique_key_make_one_job()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        var job = Jobs.ImageGeneration(count: 1, width: 64, height: 64);
        job["uniqueKey"] = $"report-{Guid.NewGuid():N}";
        // Due later, so the job stays pending through the race: a small job that ran at once could end before the last
        // submission arrived, and a key whose job has ended rightly makes a new one.
        job["runAt"] = DateTime.UtcNow.AddMinutes(10).ToString("O");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await user.PostAsync("/api/jobs", Json(job));
            return (response.StatusCode, Id: (await ReadJson(response)).GetProperty("id").GetGuid());
        }));

        Assert.Single(responses.Select(r => r.Id).Distinct());
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.OK }));
        Assert.Equal(1L, await system.Database.ScalarAsync<long>("SELECT count(*) FROM workflow.jobs WHERE unique_key = @k", ("k", (string)job["uniqueKey"]!)));
    }

    [Fact]
    public async Task A_job_that_depends_on_another_starts_after_it_completed()
    {
        using var user = system.GatewayClient(WorkflowSystem.UserKey);
        using var first = await user.PostAsync("/api/jobs", Json(Jobs.ImageGeneration(count: 2, width: 256, height: 256)));
        var firstId = (await ReadJson(first)).GetProperty("id").GetGuid();
        var job = Jobs.ImageGeneration(count: 1, width: 64, height: 64);
        job["dependsOn"] = new[] { firstId };

        using var second = await user.PostAsync("/api/jobs", Json(job));
        Assert.True(second.StatusCode == HttpStatusCode.Accepted, await Describe(second));
        var secondId = (await ReadJson(second)).GetProperty("id").GetGuid();
        var done = await Jobs.WaitUntilFinishedAsync(user, secondId, system);
        var dependency = await user.GetFromJsonAsync<JsonElement>($"/api/jobs/{firstId}");

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.True(done.GetProperty("startedAt").GetDateTime() >= dependency.GetProperty("completedAt").GetDateTime());
        using var history = await user.GetAsync($"/api/jobs/{secondId}/history");
        Assert.Contains((await ReadJson(history)).EnumerateArray(), h => h.GetProperty("message").GetString() == $"dependency {firstId} completed");
    }

    static async Task<Guid> SubmitWithKey(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = Json(Jobs.ImageGeneration(count: 1, width: 64, height: 64)) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await Describe(response));
        return (await ReadJson(response)).GetProperty("id").GetGuid();
    }

    /// <summary>Width and height from the PNG signature and IHDR chunk.</summary>
    static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG");
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    static async Task<JsonElement> ReadJson(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    static async Task<string> Describe(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
}
