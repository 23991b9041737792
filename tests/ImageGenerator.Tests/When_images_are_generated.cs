using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.Consumers;
using Workflow.ImageGenerator.Imaging;
using Workflow.ImageGenerator.Providers;
using Workflow.ServiceDefaults.Blobs;
using Workflow.ServiceDefaults.Retries;
using Workflow.StageWorkers.Consumption;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

public sealed class When_images_are_generated : IAsyncLifetime
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"wf-blobs-{Guid.NewGuid():N}");
    readonly CountingImageProvider images = new();
    ServiceProvider provider = null!;
    ITestHarness harness = null!;
    IBlobStore blobs = null!;

    public async Task InitializeAsync()
    {
        // A progress interval no run here reaches, however busy the machine: every job of these specs is a quick one.
        provider = GeneratorHarness.Build(images, root, x =>
        {
            x.AddConsumer<GenerateImagesConsumer, GenerateImagesConsumerDefinition>();
            x.AddConsumer<PostProcessImagesConsumer, PostProcessImagesConsumerDefinition>();
        }, progressIntervalMilliseconds: 60_000);
        blobs = provider.GetRequiredService<IBlobStore>();
        harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
    }

    public async Task DisposeAsync()
    {
        await harness.Stop();
        await provider.DisposeAsync();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    static List<EnhancedPrompt> Prompts(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new EnhancedPrompt(i, $"a poster, variation {i}", new Dictionary<string, string> { ["n"] = $"{i}" }))];

    async Task<ImagesGenerated> Generate(Guid jobId, int attempt, List<EnhancedPrompt> prompts, int width, int height)
    {
        await harness.Bus.Publish(new GenerateImages(jobId, attempt, prompts, width, height));
        return await harness.PublishedAsync<ImagesGenerated>(x => x.JobId == jobId && x.Attempt == attempt);
    }

    byte[] Read(string key)
    {
        using var stream = blobs.OpenRead(key)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Stores_a_png_of_the_requested_size_per_prompt_and_reports_it_in_the_result_alone_when_it_is_quick()
    {
        var jobId = Guid.NewGuid();

        var generated = await Generate(jobId, 1, Prompts(3), 96, 48);

        Assert.Equal([0, 1, 2], generated.Images.Select(i => i.Index));
        foreach (var image in generated.Images)
        {
            var decoded = Png.Decode(Read(image.BlobKey));
            Assert.Equal((96, 48), (decoded.Width, decoded.Height));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Read(image.BlobKey))), image.Sha256);
        }

        // Three images rendered within the progress interval: the result alone tells of them.
        Assert.False(harness.Published.Select<StageProgressed>(x => x.Context.Message.JobId == jobId).Any());
    }

    [Fact]
    public async Task The_same_prompt_gives_the_same_image_and_different_prompts_differ()
    {
        var local = new LocalImageProvider();

        var first = await local.RenderPngAsync("a fox in ink", 64, 64, CancellationToken.None);
        var again = await local.RenderPngAsync("a fox in ink", 64, 64, CancellationToken.None);
        var other = await local.RenderPngAsync("an owl in oil", 64, 64, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task A_redelivered_stage_renders_only_the_missing_images()
    {
        var jobId = Guid.NewGuid();
        var prompts = Prompts(4);
        // Two images survived an earlier, interrupted delivery.
        foreach (var prompt in prompts.Take(2))
        {
            var key = GenerateImagesConsumer.BlobKey(jobId, prompt.Index, prompt.Prompt, 64, 64);
            await blobs.WriteAsync(key, await new LocalImageProvider().RenderPngAsync(prompt.Prompt, 64, 64, CancellationToken.None), CancellationToken.None);
        }

        var generated = await Generate(jobId, 2, prompts, 64, 64);

        Assert.Equal(4, generated.Images.Count);
        Assert.Equal(2, images.Renders);
        Assert.Equal([null, null], generated.Images.Take(2).Select(i => i.RenderMilliseconds));
    }

    [Fact]
    public async Task An_impossible_size_fails_the_stage_permanently()
    {
        var jobId = Guid.NewGuid();

        await harness.Bus.Publish(new GenerateImages(jobId, 1, Prompts(1), 8, 64));

        var fault = await harness.PublishedAsync<Fault<GenerateImages>>(x => x.Message.JobId == jobId);
        Assert.True(Failures.IsPermanent(Assert.Single(fault.Exceptions)));
        Assert.Contains("8x64", fault.Exceptions[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, images.Renders);
    }

    [Fact]
    public async Task Post_processing_writes_thumbnails_and_a_manifest()
    {
        var jobId = Guid.NewGuid();
        var generated = await Generate(jobId, 1, Prompts(2), 512, 256);

        // The saga sends stage commands to the stage's queue.
        var queue = await harness.Bus.GetSendEndpoint(QueueNames.Address(QueueNames.PostProcessImages));
        await queue.Send(new PostProcessImages(jobId, 1, generated.Images));

        var done = await harness.PublishedAsync<ImagesPostProcessed>(x => x.JobId == jobId);
        Assert.Equal(2, done.Statistics.ImageCount);
        Assert.Equal(generated.Images.Sum(i => i.Bytes), done.Statistics.TotalBytes);
        var thumbnail = Png.Decode(Read($"jobs/{jobId}/thumbnails/0000.png"));
        Assert.Equal((128, 64), (thumbnail.Width, thumbnail.Height));
        using var manifest = JsonDocument.Parse(Read(done.ManifestBlobKey));
        Assert.Equal(2, manifest.RootElement.GetProperty("images").GetArrayLength());
        Assert.Equal(generated.Images[1].Sha256, manifest.RootElement.GetProperty("images")[1].GetProperty("sha256").GetString());
        Assert.True(manifest.RootElement.GetProperty("images")[0].GetProperty("renderMilliseconds").GetDouble() > 0);
        Assert.True(manifest.RootElement.GetProperty("timings").GetProperty("renderMilliseconds").GetDouble() > 0);
        Assert.True(done.Statistics.RenderMilliseconds > 0);
    }

    [Fact]
    public async Task The_images_come_post_processed_with_their_thumbnails_and_manifest_written()
    {
        var jobId = Guid.NewGuid();

        var generated = await Generate(jobId, 1, Prompts(2), 256, 512);

        var done = Assert.IsType<ImagesPostProcessed>(generated.PostProcessed);
        Assert.Equal((jobId, 1), (done.JobId, done.Attempt));
        Assert.Equal(2, done.Statistics.ImageCount);
        Assert.Equal(generated.Images.Sum(i => i.Bytes), done.Statistics.TotalBytes);
        Assert.Equal((64, 128), (Png.Decode(Read($"jobs/{jobId}/thumbnails/0001.png")).Width, Png.Decode(Read($"jobs/{jobId}/thumbnails/0001.png")).Height));
        using var manifest = JsonDocument.Parse(Read(done.ManifestBlobKey));
        Assert.Equal(generated.Images.Select(i => i.Sha256), manifest.RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("sha256").GetString()));
        // Nothing was left for a Finalizing command: no such result was published on its own.
        Assert.False(harness.Published.Select<ImagesPostProcessed>(x => x.Context.Message.JobId == jobId).Any());
    }

    [Fact]
    public async Task A_paused_finalizing_stage_is_left_to_run_on_its_own()
    {
        var jobId = Guid.NewGuid();
        await provider.GetRequiredService<ConsumptionControl>().ApplyAsync(
            new ConsumptionState([new ConsumptionPause(QueueNames.PostProcessImages, null, DateTime.UtcNow, "admin")], 1));

        var generated = await Generate(jobId, 1, Prompts(2), 64, 64);

        Assert.Null(generated.PostProcessed);
        Assert.Null(blobs.OpenRead($"jobs/{jobId}/manifest.json"));
    }
}
