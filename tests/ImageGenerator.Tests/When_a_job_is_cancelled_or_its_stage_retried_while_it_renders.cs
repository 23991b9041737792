using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.Consumers;
using Workflow.ImageGenerator.Providers;
using Workflow.ServiceDefaults.Messaging;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

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
