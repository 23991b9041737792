using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

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
