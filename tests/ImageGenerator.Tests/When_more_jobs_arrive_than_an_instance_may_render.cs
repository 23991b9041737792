using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Contracts.V1;
using Workflow.ImageGenerator.Providers;
using Workflow.TestKit;

namespace Workflow.ImageGenerator.Tests;

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
