using Workflow.ImageGenerator.Providers;

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
