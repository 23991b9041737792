using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.Consumers;
using Workflow.ImageGenerator.Imaging;
using Workflow.ImageGenerator.PostProcessing;
using Workflow.ImageGenerator.Providers;
using Workflow.ServiceDefaults.Blobs;
using Workflow.ServiceDefaults.Messaging;
using Workflow.ServiceDefaults.Retries;
using Workflow.StageWorkers.Consumption;
using Workflow.StageWorkers.Providers;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

/// <summary>Counts renders, so a test can tell a checkpoint reused from an image rendered again; each may take <paramref name="delay"/>.</summary>
public sealed class CountingImageProvider(TimeSpan delay = default) : IImageProvider
{
    readonly LocalImageProvider inner = new();
    int renders;

    public int Renders => renders;

    public async Task<byte[]> RenderPngAsync(string prompt, int width, int height, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref renders);
        await Task.Delay(delay, cancellationToken);
        return await inner.RenderPngAsync(prompt, width, height, cancellationToken);
    }
}

public sealed class When_images_are_generated : IAsyncLifetime
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"wf-blobs-{Guid.NewGuid():N}");
    readonly CountingImageProvider images = new();
    ServiceProvider provider = null!;
    ITestHarness harness = null!;
    IBlobStore blobs = null!;

    public async Task InitializeAsync()
    {
        provider = GeneratorHarness.Build(images, root, x =>
        {
            x.AddConsumer<GenerateImagesConsumer, GenerateImagesConsumerDefinition>();
            x.AddConsumer<PostProcessImagesConsumer, PostProcessImagesConsumerDefinition>();
        });
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

        // Three small images render well within the progress interval: the result alone tells of them.
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

public sealed class When_post_processing_with_the_images_fails_or_is_off
{
    /// <summary>Returns bytes that are stored as the image but are no PNG, so that making its thumbnail fails.</summary>
    sealed class UndecodableImageProvider : IImageProvider
    {
        public Task<byte[]> RenderPngAsync(string prompt, int width, int height, CancellationToken cancellationToken) =>
            Task.FromResult("not a png"u8.ToArray());
    }

    static async Task<ImagesGenerated> GenerateOnce(IImageProvider images, bool postProcessWithGeneration)
    {
        var root = Path.Combine(Path.GetTempPath(), $"wf-blobs-{Guid.NewGuid():N}");
        await using var services = GeneratorHarness.Build(images, root, postProcessWithGeneration: postProcessWithGeneration);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var jobId = Guid.NewGuid();
            await harness.Bus.Publish(new GenerateImages(jobId, 1, [new EnhancedPrompt(0, "a fox", new Dictionary<string, string>())], 64, 64));
            return await harness.PublishedAsync<ImagesGenerated>(x => x.JobId == jobId);
        }
        finally
        {
            await harness.Stop();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_failure_reports_the_images_alone_so_the_finalizing_stage_runs_with_its_own_retries()
    {
        var generated = await GenerateOnce(new UndecodableImageProvider(), postProcessWithGeneration: true);

        Assert.Single(generated.Images);
        Assert.Null(generated.PostProcessed);
    }

    [Fact]
    public async Task Turned_off_it_reports_the_images_alone()
    {
        var generated = await GenerateOnce(new LocalImageProvider(), postProcessWithGeneration: false);

        Assert.Single(generated.Images);
        Assert.Null(generated.PostProcessed);
    }
}

public sealed class When_more_jobs_arrive_than_an_instance_may_render
{
    /// <summary>Holds every render for a while and remembers how many ran at once.</summary>
    sealed class SlowProvider : IImageProvider
    {
        int running;

        public int MostAtOnce { get; private set; }

        public async Task<byte[]> RenderPngAsync(string prompt, int width, int height, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref running);
            lock (this)
            {
                MostAtOnce = Math.Max(MostAtOnce, now);
            }

            await Task.Delay(150, cancellationToken);
            Interlocked.Decrement(ref running);
            return await new LocalImageProvider().RenderPngAsync(prompt, width, height, cancellationToken);
        }
    }

    [Fact]
    public async Task No_more_than_max_concurrent_jobs_render_at_once()
    {
        var root = Path.Combine(Path.GetTempPath(), $"wf-blobs-{Guid.NewGuid():N}");
        var provider = new SlowProvider();
        await using var services = GeneratorHarness.Build(provider, root, maxConcurrentJobs: 2);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var jobs = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();

        foreach (var jobId in jobs)
        {
            await harness.Bus.Publish(new GenerateImages(jobId, 1, [new EnhancedPrompt(0, $"prompt {jobId}", new Dictionary<string, string>())], 32, 32));
        }

        foreach (var jobId in jobs)
        {
            await harness.PublishedAsync<ImagesGenerated>(x => x.JobId == jobId);
        }

        await harness.Stop();
        Directory.Delete(root, recursive: true);
        Assert.Equal(2, provider.MostAtOnce);
    }
}

public sealed class When_the_image_provider_refuses_a_prompt
{
    sealed class RefusingProvider : IImageProvider
    {
        public Task<byte[]> RenderPngAsync(string prompt, int width, int height, CancellationToken cancellationToken) =>
            throw new ProviderException("Gemini refused the content (SAFETY)", permanent: true);
    }

    [Fact]
    public async Task The_stage_fails_permanently_with_the_reason()
    {
        var root = Path.Combine(Path.GetTempPath(), $"wf-blobs-{Guid.NewGuid():N}");
        await using var services = GeneratorHarness.Build(new RefusingProvider(), root);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var jobId = Guid.NewGuid();

        await harness.Bus.Publish(new GenerateImages(jobId, 1, [new EnhancedPrompt(0, "p", new Dictionary<string, string>())], 32, 32));

        var fault = await harness.PublishedAsync<Fault<GenerateImages>>(x => x.Message.JobId == jobId);
        await harness.Stop();
        var exception = Assert.Single(fault.Exceptions);
        Assert.True(Failures.IsPermanent(exception));
        Assert.Contains("SAFETY", exception.Message, StringComparison.Ordinal);
        Assert.False(harness.Published.Select<StageRetrying>(x => x.Context.Message.JobId == jobId).Any());
        Assert.False(harness.Published.Select<ImagesGenerated>(x => x.Context.Message.JobId == jobId).Any());
    }
}

public sealed class When_a_job_is_cancelled_or_its_stage_retried_while_it_renders
{
    [Theory]
    [InlineData("cancelled")]
    [InlineData("retried")]
    public async Task Rendering_stops_and_nothing_more_is_written_or_reported(string how)
    {
        var root = Path.Combine(Path.GetTempPath(), $"wf-blobs-{Guid.NewGuid():N}");
        await using var services = GeneratorHarness.Build(new DelayedProvider(), root, x =>
        {
            x.AddConsumer<GenerateImagesConsumer, GenerateImagesConsumerDefinition>();
            x.AddStageWork();
        });
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var jobId = Guid.NewGuid();
        var prompts = Enumerable.Range(0, 20).Select(i => new EnhancedPrompt(i, $"prompt {i}", new Dictionary<string, string>())).ToList();

        await harness.Bus.Publish(new GenerateImages(jobId, 1, prompts, 32, 32));
        await harness.PublishedAsync<StageProgressed>(x => x.JobId == jobId && x.Current >= 2);
        await harness.Bus.Publish(how == "cancelled"
            ? new JobCancelled(jobId, "demo", "changed my mind", DateTime.UtcNow)
            // The saga gives up on attempt 1 when it times out, before it dispatches attempt 2.
            : new StageAbandoned(jobId, JobStages.Generating, 1, DateTime.UtcNow));
        Assert.True(await harness.Consumed.Any<GenerateImages>(x => x.Context.Message.JobId == jobId));

        var written = Directory.GetFiles(Path.Combine(root, "jobs", jobId.ToString(), "images")).Length;
        Assert.True(written < 20, $"{written} images written");
        Assert.False(harness.Published.Select<ImagesGenerated>(x => x.Context.Message.JobId == jobId).Any());
        Assert.False(harness.Published.Select<Fault<GenerateImages>>().Any());
        await harness.Stop();
        Assert.Equal(written, Directory.GetFiles(Path.Combine(root, "jobs", jobId.ToString(), "images")).Length);
        Directory.Delete(root, recursive: true);
    }

    sealed class DelayedProvider : IImageProvider
    {
        public async Task<byte[]> RenderPngAsync(string prompt, int width, int height, CancellationToken cancellationToken)
        {
            await Task.Delay(100, cancellationToken);
            return await new LocalImageProvider().RenderPngAsync(prompt, width, height, cancellationToken);
        }
    }
}

/// <summary>A job cancelled while it rendered, then retried: the cancellation belongs to the commands sent before it.</summary>
public sealed class When_a_cancelled_job_is_retried
{
    [Fact]
    public async Task The_retried_command_renders_every_image()
    {
        var root = Path.Combine(Path.GetTempPath(), $"wf-blobs-{Guid.NewGuid():N}");
        await using var services = GeneratorHarness.Build(new CountingImageProvider(TimeSpan.FromMilliseconds(100)), root, x =>
        {
            x.AddConsumer<GenerateImagesConsumer, GenerateImagesConsumerDefinition>();
            x.AddStageWork();
        }, progressIntervalMilliseconds: 0);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var jobId = Guid.NewGuid();
        var prompts = Enumerable.Range(0, 6).Select(i => new EnhancedPrompt(i, $"prompt {i}", new Dictionary<string, string>())).ToList();

        await harness.Bus.Publish(new GenerateImages(jobId, 1, prompts, 32, 32, "demo", 1));
        await harness.PublishedAsync<StageProgressed>(x => x.JobId == jobId && x.Current >= 1);
        await harness.Bus.Publish(new JobCancelled(jobId, "demo", "changed my mind", DateTime.UtcNow));
        Assert.True(await harness.Consumed.Any<JobCancelled>(x => x.Context.Message.JobId == jobId));
        await harness.Bus.Publish(new GenerateImages(jobId, 2, prompts, 32, 32, "demo", 10));

        var generated = await harness.PublishedAsync<ImagesGenerated>(x => x.JobId == jobId && x.Attempt == 2);
        Assert.Equal(6, generated.Images.Count);
        Assert.False(harness.Published.Select<ImagesGenerated>(x => x.Context.Message.JobId == jobId && x.Context.Message.Attempt == 1).Any());
        await harness.Stop();
        Directory.Delete(root, recursive: true);
    }
}

/// <summary>Images that take longer than the progress interval each, for a client watching the job.</summary>
public sealed class When_images_render_slowly
{
    [Fact]
    public async Task Each_image_but_the_last_reports_progress_with_the_owner_its_sequence_and_the_percent()
    {
        var root = Path.Combine(Path.GetTempPath(), $"wf-blobs-{Guid.NewGuid():N}");
        await using var services = GeneratorHarness.Build(new CountingImageProvider(TimeSpan.FromMilliseconds(150)), root, progressIntervalMilliseconds: 100);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var jobId = Guid.NewGuid();
        var prompts = Enumerable.Range(0, 4).Select(i => new EnhancedPrompt(i, $"prompt {i}", new Dictionary<string, string>())).ToList();

        await harness.Bus.Publish(new GenerateImages(jobId, 1, prompts, 32, 32, "demo", ProgressSequence: 7));
        await harness.PublishedAsync<ImagesGenerated>(x => x.JobId == jobId);

        var progress = harness.Published.Select<StageProgressed>(x => x.Context.Message.JobId == jobId).Select(x => x.Context.Message).OrderBy(p => p.Current).ToList();
        Assert.Equal([1, 2, 3], progress.Select(p => p.Current));
        Assert.Equal([8, 9, 10], progress.Select(p => p.Sequence));
        Assert.Equal([50, 60, 70], progress.Select(p => p.Percent));
        Assert.All(progress, p => Assert.Equal(("demo", JobStages.Generating, 4), (p.Owner, p.Stage, p.Total)));
        await harness.Stop();
        Directory.Delete(root, recursive: true);
    }
}

/// <summary>The broker hands a command out again while its first delivery is still rendering (a dropped connection).</summary>
public sealed class When_a_command_is_delivered_twice_at_once
{
    [Fact]
    public async Task Each_image_is_rendered_once_and_both_deliveries_report_every_image()
    {
        var root = Path.Combine(Path.GetTempPath(), $"wf-blobs-{Guid.NewGuid():N}");
        var provider = new CountingImageProvider(TimeSpan.FromMilliseconds(200));
        await using var services = GeneratorHarness.Build(provider, root);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var jobId = Guid.NewGuid();
        var command = new GenerateImages(jobId, 1, [.. Enumerable.Range(0, 3).Select(i => new EnhancedPrompt(i, $"prompt {i}", new Dictionary<string, string>()))], 32, 32);

        await Task.WhenAll(harness.Bus.Publish(command), harness.Bus.Publish(command));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (harness.Published.Select<ImagesGenerated>(x => x.Context.Message.JobId == jobId).Count() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "both deliveries did not finish");
            await Task.Delay(50);
        }

        await harness.Stop();
        Directory.Delete(root, recursive: true);
        Assert.Equal(3, provider.Renders);
        Assert.All(harness.Published.Select<ImagesGenerated>(x => x.Context.Message.JobId == jobId), p => Assert.Equal(3, p.Context.Message.Images.Count));
    }
}

/// <summary>The ImageGenerator's consumers on MassTransit's in-memory harness, with images in a folder of the test's own.</summary>
static class GeneratorHarness
{
    public static ServiceProvider Build(
        IImageProvider provider,
        string root,
        Action<IBusRegistrationConfigurator>? consumers = null,
        int maxConcurrentJobs = 5,
        int progressIntervalMilliseconds = 250,
        bool postProcessWithGeneration = true) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(provider)
            .AddSingleton<IBlobStore>(new FileSystemBlobStore(Options.Create(new BlobStoreOptions { Root = root })))
            .AddSingleton(Options.Create(new ImageGeneratorOptions
            {
                MaxConcurrentJobs = maxConcurrentJobs,
                ProgressIntervalMilliseconds = progressIntervalMilliseconds,
                PostProcessWithGeneration = postProcessWithGeneration,
            }))
            .AddSingleton<ImagePostProcessor>()
            .AddSingleton<ConsumptionControl>()
            .AddSingleton<RunningJobs>()
            .AddMassTransitTestHarness(consumers ?? (x => x.AddConsumer<GenerateImagesConsumer, GenerateImagesConsumerDefinition>()))
            .BuildServiceProvider(true);
}
