using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

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
        await Wait.UntilAsync(() => harness.Published.Select<ImagesGenerated>(x => x.Context.Message.JobId == jobId).Count() >= 2, "both deliveries did not finish");

        await harness.Stop();
        Directory.Delete(root, recursive: true);
        Assert.Equal(3, provider.Renders);
        Assert.All(harness.Published.Select<ImagesGenerated>(x => x.Context.Message.JobId == jobId), p => Assert.Equal(3, p.Context.Message.Images.Count));
    }
}
