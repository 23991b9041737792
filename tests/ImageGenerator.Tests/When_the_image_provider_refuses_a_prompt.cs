using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.Providers;
using Workflow.ServiceDefaults.Retries;
using Workflow.StageWorkers.Providers;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

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
