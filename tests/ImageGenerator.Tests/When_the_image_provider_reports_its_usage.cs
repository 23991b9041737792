using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.Providers;
using Workflow.StageWorkers.Providers;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

/// <summary>The Gemini provider behind a fake API that reports <c>usageMetadata</c> with each image, as the real one does.</summary>
public sealed class When_the_image_provider_reports_its_usage : IAsyncLifetime
{
    readonly string root = Path.Combine(Path.GetTempPath(), $"wf-usage-{Guid.NewGuid():N}");
    FakeHttpServer api = null!;
    ServiceProvider remote = null!;
    ServiceProvider services = null!;
    ITestHarness harness = null!;

    public async Task InitializeAsync()
    {
        var png = Convert.ToBase64String(await new LocalImageProvider().RenderPngAsync("remote", 16, 16, CancellationToken.None));
        api = new FakeHttpServer((_, _) => new FakeResponse(200,
            $$$"""{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"{{{png}}}"}}]}}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":1290}}"""));
        var options = new ImageGeneratorOptions
        {
            Provider = ImageGeneratorOptions.Gemini,
            Remote = new ProviderOptions { BaseUrl = api.BaseUrl + "v1", ApiKey = "key-test", Model = "gemini-2.5-flash-image", RequestsPerMinute = 6000 },
        };
        remote = new ServiceCollection().AddSingleton(Options.Create(options)).AddImageProvider(options).BuildServiceProvider();
        services = GeneratorHarness.Build(remote.GetRequiredService<IImageProvider>(), root);
        harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
    }

    [Fact]
    public async Task The_result_carries_the_images_rendered_and_their_tokens_and_a_checkpointed_image_costs_nothing()
    {
        var jobId = Guid.NewGuid();
        var command = new GenerateImages(jobId, 1, [Prompt(0, "an ink fox"), Prompt(1, "an oil owl")], 32, 32);

        await harness.Bus.Publish(command);
        var first = await harness.PublishedAsync<ImagesGenerated>(x => x.JobId == jobId && x.Attempt == 1);
        await harness.Bus.Publish(command with { Attempt = 2 });
        var again = await harness.PublishedAsync<ImagesGenerated>(x => x.JobId == jobId && x.Attempt == 2);

        Assert.Equal(new ProviderUsage("gemini", "gemini-2.5-flash-image", 2, 24, 2580, 2), first.Usage);
        // The second attempt found both images in the blob store: no call, no token, no image generated.
        Assert.Equal(new ProviderUsage("gemini", "gemini-2.5-flash-image", 0, 0, 0, 0), again.Usage);
        Assert.Equal(2, api.Requests.Count);
    }

    static EnhancedPrompt Prompt(int index, string text) => new(index, text, new Dictionary<string, string> { ["style"] = text });

    public async Task DisposeAsync()
    {
        await harness.Stop();
        await services.DisposeAsync();
        await remote.DisposeAsync();
        await api.DisposeAsync();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
