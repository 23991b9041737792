using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.Consumers;
using Workflow.ServiceDefaults.Messaging;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

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
