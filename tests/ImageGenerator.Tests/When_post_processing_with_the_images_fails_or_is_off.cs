using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.Providers;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

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
